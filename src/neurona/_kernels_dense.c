/* neurona._kernels, part 2: small dense layers in one call (the fused `dense` op's forward and backward).
 *
 * For the tiny layers of the Playground's networks (a few units, batches of ten) a NumPy matmul, a bias
 * add and an activation are each a call whose overhead is larger than the arithmetic. Here the whole
 * layer is one loop nest:
 *
 *   forward:   out = x·W + b, then relu(out) when asked (sigmoid and tanh stay with NumPy)
 *   backward:  g' = g·act'(y)   (act' written as the NumPy rule writes it, same order of operations)
 *              dW = xᵀ·g',  db = Σ_rows g',  dx = g'·Wᵀ (only when asked for)
 *
 * For the larger layers the GEMMs stay with the BLAS, and the steps around them are one pass each instead
 * of two or three NumPy calls (and temporaries):
 *
 *   bias_act:   out += b, then relu(out) when asked, in place   (`out += b; np.maximum(out, 0, out=out)`)
 *   relu_grad:  dst = g·(y > 0)                                 (`g * (out > 0)`)
 *
 * Sums run in index order (k = 0, 1, …); a BLAS may block them differently, so a small layer's outputs
 * can differ from the large-layer path in the last bit, as two BLAS builds do. Elementwise steps are the
 * NumPy rule's operations in its order, compiled without FMA contraction.
 *
 * Arrays arrive through the buffer protocol: C-contiguous, all float32 or all float64, with the sizes
 * the caller's shapes imply (checked here, so a wrong call raises instead of reading out of bounds).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include "_kernels.h"

/* ---- operands through the buffer protocol (shared with _kernels_loss.c, see _kernels.h) ------------- */
void release_views(Views *v) {
    for (int i = 0; i < v->count; i++) PyBuffer_Release(&v->views[i]);
    v->count = 0;
}

/* A C-contiguous buffer of exactly `count` items: floats (float32 or float64, the same dtype as the first
 * float operand taken) or, with is_index, 64-bit signed integers (np.intp). */
int view_of(Views *v, PyObject *obj, int writable, int is_index, const char *name, Py_ssize_t count,
            void **data) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    Py_buffer *b = &v->views[v->count];
    if (PyObject_GetBuffer(obj, b, flags) < 0) {
        PyErr_Format(PyExc_TypeError, "%s: expected a C-contiguous%s %s array", name, writable ? ", writable" : "",
                     is_index ? "int64" : "float32 or float64");
        return -1;
    }
    v->count++;
    const char *format = b->format ? b->format : "B";
    if (format[0] == '<' || format[0] == '=' || format[0] == '@') format++;
    if (is_index) {
        if ((strcmp(format, "l") != 0 && strcmp(format, "q") != 0) || b->itemsize != 8) {
            PyErr_Format(PyExc_TypeError, "%s: expected 64-bit integers, got format '%s'", name, b->format);
            return -1;
        }
    } else {
        if (strcmp(format, "f") != 0 && strcmp(format, "d") != 0) {
            PyErr_Format(PyExc_TypeError, "%s: expected float32 or float64, got format '%s'", name, b->format);
            return -1;
        }
        if (v->itemsize == 0) v->itemsize = b->itemsize;
        if (b->itemsize != v->itemsize) {
            PyErr_Format(PyExc_TypeError, "%s: all operands must have one dtype", name);
            return -1;
        }
    }
    if (b->len != count * b->itemsize) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd items, got %zd", name, count, b->len / b->itemsize);
        return -1;
    }
    *data = b->buf;
    return 0;
}

static int view(Views *v, PyObject *obj, int writable, const char *name, Py_ssize_t count, void **data) {
    return view_of(v, obj, writable, 0, name, count, data);
}

enum { LINEAR = 0, RELU = 1, SIGMOID = 2, TANH = 3 };

#define FORWARD(NAME, T)                                                                          \
    CLONES static void NAME(const T *x, const T *w, const T *b, T *out, Py_ssize_t n, Py_ssize_t k,  \
                            Py_ssize_t m, int relu) {                                                 \
        for (Py_ssize_t i = 0; i < n; i++) {                                                      \
            T *row = out + i * m;                                                                 \
            for (Py_ssize_t j = 0; j < m; j++) row[j] = 0;                                        \
            for (Py_ssize_t p = 0; p < k; p++) {                                                  \
                const T xi = x[i * k + p];                                                        \
                const T *wp = w + p * m;                                                          \
                for (Py_ssize_t j = 0; j < m; j++) row[j] += xi * wp[j];                          \
            }                                                                                     \
            for (Py_ssize_t j = 0; j < m; j++) row[j] += b[j];                                    \
            if (relu)                                                                             \
                for (Py_ssize_t j = 0; j < m; j++) {                                              \
                    const T y = row[j];                                                           \
                    row[j] = (y > 0 || y != y) ? y : (T)0; /* np.maximum(y, 0): NaN stays, -0 -> 0 */\
                }                                                                                 \
        }                                                                                         \
    }

FORWARD(forward_f32, float)
FORWARD(forward_f64, double)

/* g' = g·act'(y) into gp; then dW, db and (when dx is given) dx. */
#define BACKWARD(NAME, T)                                                                         \
    CLONES static void NAME(const T *x, const T *w, const T *y, const T *g, T *gp, T *dx, T *dw,     \
                            T *db, Py_ssize_t n, Py_ssize_t k, Py_ssize_t m, int act) {               \
        const Py_ssize_t nm = n * m;                                                              \
        for (Py_ssize_t i = 0; i < nm; i++) {                                                     \
            const T yi = y[i];                                                                    \
            if (act == RELU)                                                                      \
                gp[i] = g[i] * (T)(yi > 0); /* g * (out > 0) */                                   \
            else if (act == TANH) {                                                               \
                T slope = yi * yi;                                                                \
                slope = (T)1 - slope;                                                             \
                gp[i] = slope * g[i]; /* (1 - y*y) * g */                                         \
            } else if (act == SIGMOID)                                                            \
                gp[i] = (g[i] * yi) * ((T)1 - yi); /* g * y * (1 - y) */                          \
            else                                                                                  \
                gp[i] = g[i];                                                                     \
        }                                                                                         \
        for (Py_ssize_t q = 0; q < k * m; q++) dw[q] = 0;                                         \
        for (Py_ssize_t j = 0; j < m; j++) db[j] = 0;                                             \
        for (Py_ssize_t i = 0; i < n; i++) {                                                      \
            const T *gi = gp + i * m;                                                             \
            for (Py_ssize_t p = 0; p < k; p++) {                                                  \
                const T xp = x[i * k + p];                                                        \
                T *dwp = dw + p * m;                                                              \
                for (Py_ssize_t j = 0; j < m; j++) dwp[j] += xp * gi[j];                          \
            }                                                                                     \
            for (Py_ssize_t j = 0; j < m; j++) db[j] += gi[j];                                    \
            if (dx)                                                                               \
                for (Py_ssize_t p = 0; p < k; p++) {                                              \
                    const T *wp = w + p * m;                                                      \
                    T s = 0;                                                                      \
                    for (Py_ssize_t j = 0; j < m; j++) s += gi[j] * wp[j];                        \
                    dx[i * k + p] = s;                                                            \
                }                                                                                 \
        }                                                                                         \
    }

BACKWARD(backward_f32, float)
BACKWARD(backward_f64, double)

#define BIAS_ACT(NAME, T)                                                                         \
    CLONES static void NAME(T *out, const T *b, Py_ssize_t n, Py_ssize_t m, int relu) {             \
        for (Py_ssize_t i = 0; i < n; i++) {                                                      \
            T *row = out + i * m;                                                                 \
            if (relu)                                                                             \
                for (Py_ssize_t j = 0; j < m; j++) {                                              \
                    const T y = row[j] + b[j];                                                    \
                    row[j] = (y > 0 || y != y) ? y : (T)0;                                        \
                }                                                                                 \
            else                                                                                  \
                for (Py_ssize_t j = 0; j < m; j++) row[j] += b[j];                                \
        }                                                                                         \
    }

BIAS_ACT(bias_act_f32, float)
BIAS_ACT(bias_act_f64, double)

#define RELU_GRAD(NAME, T)                                                                        \
    CLONES static void NAME(const T *g, const T *y, T *dst, Py_ssize_t count) {                     \
        for (Py_ssize_t i = 0; i < count; i++) dst[i] = g[i] * (T)(y[i] > 0);                     \
    }

RELU_GRAD(relu_grad_f32, float)
RELU_GRAD(relu_grad_f64, double)

static int sizes_ok(Py_ssize_t n, Py_ssize_t k, Py_ssize_t m) {
    if (n < 0 || k < 0 || m < 0) {
        PyErr_SetString(PyExc_ValueError, "dense: sizes must be non-negative");
        return 0;
    }
    return 1;
}

PyObject *dense_forward(PyObject *self, PyObject *args) {
    PyObject *ox, *ow, *ob, *oout;
    Py_ssize_t n, k, m;
    int relu;
    if (!PyArg_ParseTuple(args, "OOOOnnnp", &ox, &ow, &ob, &oout, &n, &k, &m, &relu)) return NULL;
    if (!sizes_ok(n, k, m)) return NULL;
    Views v = {.count = 0, .itemsize = 0};
    void *x, *w, *b, *out;
    if (view(&v, ox, 0, "x", n * k, &x) < 0 || view(&v, ow, 0, "kernel", k * m, &w) < 0 ||
        view(&v, ob, 0, "bias", m, &b) < 0 || view(&v, oout, 1, "out", n * m, &out) < 0) {
        release_views(&v);
        return NULL;
    }
    if (v.itemsize == 4)
        forward_f32(x, w, b, out, n, k, m, relu);
    else
        forward_f64(x, w, b, out, n, k, m, relu);
    release_views(&v);
    Py_RETURN_NONE;
}

PyObject *dense_backward(PyObject *self, PyObject *args) {
    PyObject *ox, *ow, *oy, *og, *ogp, *odx, *odw, *odb;
    Py_ssize_t n, k, m;
    int act;
    if (!PyArg_ParseTuple(args, "OOOOOOOOnnni", &ox, &ow, &oy, &og, &ogp, &odx, &odw, &odb, &n, &k, &m, &act))
        return NULL;
    if (!sizes_ok(n, k, m)) return NULL;
    if (act < LINEAR || act > TANH) {
        PyErr_Format(PyExc_ValueError, "dense_backward: unknown activation code %d", act);
        return NULL;
    }
    Views v = {.count = 0, .itemsize = 0};
    void *x, *w, *y, *g, *gp, *dx = NULL, *dw, *db;
    if (view(&v, ox, 0, "x", n * k, &x) < 0 || view(&v, ow, 0, "kernel", k * m, &w) < 0 ||
        view(&v, oy, 0, "out", n * m, &y) < 0 || view(&v, og, 0, "g", n * m, &g) < 0 ||
        view(&v, ogp, 1, "g_scratch", n * m, &gp) < 0 ||
        (odx != Py_None && view(&v, odx, 1, "dx", n * k, &dx) < 0) ||
        view(&v, odw, 1, "dkernel", k * m, &dw) < 0 || view(&v, odb, 1, "dbias", m, &db) < 0) {
        release_views(&v);
        return NULL;
    }
    if (v.itemsize == 4)
        backward_f32(x, w, y, g, gp, dx, dw, db, n, k, m, act);
    else
        backward_f64(x, w, y, g, gp, dx, dw, db, n, k, m, act);
    release_views(&v);
    Py_RETURN_NONE;
}

PyObject *bias_act(PyObject *self, PyObject *args) {
    PyObject *oout, *ob;
    Py_ssize_t n, m;
    int relu;
    if (!PyArg_ParseTuple(args, "OOnnp", &oout, &ob, &n, &m, &relu)) return NULL;
    if (!sizes_ok(n, 1, m)) return NULL;
    Views v = {.count = 0, .itemsize = 0};
    void *out, *b;
    if (view(&v, oout, 1, "out", n * m, &out) < 0 || view(&v, ob, 0, "bias", m, &b) < 0) {
        release_views(&v);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    if (v.itemsize == 4)
        bias_act_f32(out, b, n, m, relu);
    else
        bias_act_f64(out, b, n, m, relu);
    Py_END_ALLOW_THREADS
    release_views(&v);
    Py_RETURN_NONE;
}

PyObject *relu_grad(PyObject *self, PyObject *args) {
    PyObject *og, *oy, *odst;
    Py_ssize_t count;
    if (!PyArg_ParseTuple(args, "OOOn", &og, &oy, &odst, &count)) return NULL;
    if (!sizes_ok(count, 1, 1)) return NULL;
    Views v = {.count = 0, .itemsize = 0};
    void *g, *y, *dst;
    if (view(&v, og, 0, "g", count, &g) < 0 || view(&v, oy, 0, "out", count, &y) < 0 ||
        view(&v, odst, 1, "dst", count, &dst) < 0) {
        release_views(&v);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    if (v.itemsize == 4)
        relu_grad_f32(g, y, dst, count);
    else
        relu_grad_f64(g, y, dst, count);
    Py_END_ALLOW_THREADS
    release_views(&v);
    Py_RETURN_NONE;
}
