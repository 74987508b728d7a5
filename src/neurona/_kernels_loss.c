/* neurona._kernels, part 3: softmax cross-entropy from logits with integer labels, for small batches.
 *
 * At batch 32 with 10 classes the NumPy rule is nine calls on 320 numbers, each costing more than its
 * arithmetic. Here each direction is one loop over the rows:
 *
 *   forward:   s = z − max(z);  p = exp(s) / Σ exp(s);  loss = log Σ exp(s) − s[y]     (p kept for backward)
 *   backward:  dz = p·g − g at the label column                                       (the NumPy rule's order)
 *
 * exp and log come from the C library where NumPy uses its own SIMD versions, so p and the loss can
 * differ from the NumPy rule in the last bit; the backward is the NumPy rule's operations on the same p.
 * A row with a NaN gives NaN throughout, as NumPy's max and exp do. A label outside [0, classes) is
 * refused (the caller then runs the NumPy rule, which raises or wraps as it always has).
 *
 * Operands arrive through the buffer protocol: C-contiguous; logits, p, loss, g and dz all float32 or all
 * float64; labels 64-bit integers (np.intp) (view_of, shared with _kernels_dense.c).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

#include "_kernels.h"

/* Returns the first row whose label is out of range, or -1 when every row was computed. */
#define CE_FORWARD(NAME, T, EXP, LOG)                                                             \
    static Py_ssize_t NAME(const T *z, const long long *y, T *p, T *loss, Py_ssize_t n, Py_ssize_t c) { \
        for (Py_ssize_t i = 0; i < n; i++)                                                        \
            if (y[i] < 0 || y[i] >= c) return i;                                                  \
        for (Py_ssize_t i = 0; i < n; i++) {                                                      \
            const T *zi = z + i * c;                                                              \
            T *pi = p + i * c;                                                                    \
            T top = zi[0];                                                                        \
            for (Py_ssize_t j = 1; j < c; j++) {                                                  \
                const T zj = zi[j];                                                               \
                if (zj > top || zj != zj) top = zj; /* np.max: NaN wins */                        \
                if (top != top) break;                                                            \
            }                                                                                     \
            const T picked = zi[y[i]] - top;                                                      \
            T total = 0;                                                                          \
            for (Py_ssize_t j = 0; j < c; j++) {                                                  \
                const T e = EXP(zi[j] - top);                                                     \
                pi[j] = e;                                                                        \
                total += e;                                                                       \
            }                                                                                     \
            for (Py_ssize_t j = 0; j < c; j++) pi[j] /= total;                                    \
            loss[i] = LOG(total) - picked;                                                        \
        }                                                                                         \
        return -1;                                                                                \
    }

CE_FORWARD(ce_forward_f32, float, expf, logf)
CE_FORWARD(ce_forward_f64, double, exp, log)

#define CE_BACKWARD(NAME, T)                                                                      \
    static void NAME(const T *p, const long long *y, const T *g, T *dz, Py_ssize_t n, Py_ssize_t c) {   \
        for (Py_ssize_t i = 0; i < n; i++) {                                                      \
            const T gi = g[i];                                                                    \
            for (Py_ssize_t j = 0; j < c; j++) dz[i * c + j] = p[i * c + j] * gi;                 \
            dz[i * c + y[i]] -= gi;                                                               \
        }                                                                                         \
    }

CE_BACKWARD(ce_backward_f32, float)
CE_BACKWARD(ce_backward_f64, double)

static int sizes_ok(Py_ssize_t n, Py_ssize_t c) {
    if (n < 0 || c < 1) {
        PyErr_SetString(PyExc_ValueError, "sparse_softmax_ce: need n >= 0 rows and c >= 1 classes");
        return 0;
    }
    return 1;
}

PyObject *sparse_softmax_ce_forward(PyObject *self, PyObject *args) {
    PyObject *oz, *oy, *op, *oloss;
    Py_ssize_t n, c;
    if (!PyArg_ParseTuple(args, "OOOOnn", &oz, &oy, &op, &oloss, &n, &c)) return NULL;
    if (!sizes_ok(n, c)) return NULL;
    Views v = {.count = 0, .itemsize = 0};
    void *z, *y, *p, *loss;
    if (view_of(&v, oz, 0, 0, "logits", n * c, &z) < 0 || view_of(&v, oy, 0, 1, "labels", n, &y) < 0 ||
        view_of(&v, op, 1, 0, "probs", n * c, &p) < 0 || view_of(&v, oloss, 1, 0, "loss", n, &loss) < 0) {
        release_views(&v);
        return NULL;
    }
    Py_ssize_t bad;
    if (v.itemsize == 4)
        bad = ce_forward_f32(z, y, p, loss, n, c);
    else
        bad = ce_forward_f64(z, y, p, loss, n, c);
    release_views(&v);
    if (bad >= 0) {
        PyErr_Format(PyExc_IndexError, "sparse_softmax_ce: label of row %zd is outside [0, %zd)", bad, c);
        return NULL;
    }
    Py_RETURN_NONE;
}

PyObject *sparse_softmax_ce_backward(PyObject *self, PyObject *args) {
    PyObject *op, *oy, *og, *odz;
    Py_ssize_t n, c;
    if (!PyArg_ParseTuple(args, "OOOOnn", &op, &oy, &og, &odz, &n, &c)) return NULL;
    if (!sizes_ok(n, c)) return NULL;
    Views v = {.count = 0, .itemsize = 0};
    void *p, *y, *g, *dz;
    if (view_of(&v, op, 0, 0, "probs", n * c, &p) < 0 || view_of(&v, oy, 0, 1, "labels", n, &y) < 0 ||
        view_of(&v, og, 0, 0, "g", n, &g) < 0 || view_of(&v, odz, 1, 0, "dz", n * c, &dz) < 0) {
        release_views(&v);
        return NULL;
    }
    /* (labels were range-checked by the forward that produced p; checked again: this is a public call) */
    const long long *labels = y;
    for (Py_ssize_t i = 0; i < n; i++)
        if (labels[i] < 0 || labels[i] >= c) {
            release_views(&v);
            PyErr_Format(PyExc_IndexError, "sparse_softmax_ce: label of row %zd is outside [0, %zd)", i, c);
            return NULL;
        }
    if (v.itemsize == 4)
        ce_backward_f32(p, y, g, dz, n, c);
    else
        ce_backward_f64(p, y, g, dz, n, c);
    release_views(&v);
    Py_RETURN_NONE;
}
