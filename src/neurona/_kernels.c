/* neurona._kernels: optional fused optimizer updates, one pass over memory instead of one NumPy call per
 * term of the formula.
 *
 * Each kernel computes exactly what the NumPy rule of the same name in neurona/optimizers/rules.py
 * computes, in the same order and the same precision, so the two paths give bit-identical results (the
 * tests compare them with ==), except that by default subnormal numbers are flushed to zero (FLUSH_BEGIN
 * below; the last, optional argument `flush=False` keeps them). Compiled without floating-point contraction (no fused multiply-add) and
 * without -ffast-math for that reason. Arrays arrive through the buffer protocol (no NumPy headers needed
 * to build): C-contiguous, all of one dtype, float32 ("f") or float64 ("d").
 *
 * The module is optional: when it is missing, neurona runs the NumPy rules.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>

#define MAX_BUFFERS 6

#include "_kernels.h"

/* Subnormal numbers (below 1.2e-38 in float32) flushed to zero while a kernel runs, as XLA (Keras on JAX)
 * and TensorFlow do on the CPU: Adam's m and v decay geometrically where a gradient stays 0 (a dead unit,
 * an always-black pixel) and x86 computes on subnormals many times slower. Only the flags of this
 * thread, restored before returning. Where the flags do not exist the loop runs as written. */
#if defined(__x86_64__) || defined(__SSE2__)
#include <xmmintrin.h>
#define FLUSH_BEGIN(on) const unsigned int saved_csr_ = _mm_getcsr(); if (on) _mm_setcsr(saved_csr_ | 0x8040u);
#define FLUSH_END() _mm_setcsr(saved_csr_);
#else
#define FLUSH_BEGIN(on)
#define FLUSH_END()
#endif

typedef struct {
    Py_buffer views[MAX_BUFFERS];
    int count;
} Buffers;

static void release(Buffers *b) {
    for (int i = 0; i < b->count; i++) PyBuffer_Release(&b->views[i]);
    b->count = 0;
}

/* Take a C-contiguous float32/float64 buffer of `obj` (writable when asked); its data pointer goes to
 * *data. The first buffer fixes the dtype and length every other one must match. */
static int take(Buffers *b, PyObject *obj, int writable, const char *name, void **data) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    Py_buffer *view = &b->views[b->count];
    if (PyObject_GetBuffer(obj, view, flags) < 0) {
        PyErr_Format(PyExc_TypeError, "%s: expected a C-contiguous%s float32 or float64 array", name,
                     writable ? ", writable" : "");
        return -1;
    }
    b->count++;
    const char *format = view->format ? view->format : "B";
    if (format[0] == '<' || format[0] == '=' || format[0] == '@') format++;
    if (strcmp(format, "f") != 0 && strcmp(format, "d") != 0) {
        PyErr_Format(PyExc_TypeError, "%s: expected float32 or float64, got format '%s'", name, view->format);
        return -1;
    }
    if (b->count > 1) {
        Py_buffer *first = &b->views[0];
        if (view->itemsize != first->itemsize || view->len != first->len) {
            PyErr_Format(PyExc_ValueError, "%s: dtype or size differs from the parameter's", name);
            return -1;
        }
    }
    *data = view->buf;
    return 0;
}

/* ---- Adam (Keras's form) --------------------------------------------------------------------------
 *   m <- m + (g - m)(1 - b1);  v <- v + (g*g - v)(1 - b2);  [vh <- max(vh, v); v = vh]
 *   theta <- theta - (m / (sqrt(v) + eps)) * alpha
 */
#define ADAM_LOOP(NAME, T, SQRT)                                                                 \
    CLONES static void NAME(T *th, const T *g, T *m, T *v, T *vh, Py_ssize_t n, double alpha,       \
                            double one_minus_b1, double one_minus_b2, double eps) {                  \
        const T c1 = (T)one_minus_b1, c2 = (T)one_minus_b2, e = (T)eps, a = (T)alpha;             \
        for (Py_ssize_t i = 0; i < n; i++) {                                                     \
            const T gi = g[i];                                                                   \
            const T mi = m[i] + (gi - m[i]) * c1;                                                \
            T vi = v[i] + (gi * gi - v[i]) * c2;                                                 \
            m[i] = mi;                                                                           \
            v[i] = vi;                                                                           \
            if (vh) {                                                                            \
                const T h = vh[i];                                                               \
                vi = (h >= vi || h != h) ? h : vi; /* np.maximum: NaN wins */                    \
                vh[i] = vi;                                                                      \
            }                                                                                    \
            th[i] -= (mi / (SQRT(vi) + e)) * a;                                                   \
        }                                                                                        \
    }

ADAM_LOOP(adam_f32, float, sqrtf)
ADAM_LOOP(adam_f64, double, sqrt)

static PyObject *adam(PyObject *self, PyObject *args) {
    PyObject *o_theta, *o_g, *o_m, *o_v, *o_vh;
    double alpha, one_minus_b1, one_minus_b2, eps;
    int flush = 1;
    if (!PyArg_ParseTuple(args, "OOOOOdddd|p", &o_theta, &o_g, &o_m, &o_v, &o_vh, &alpha, &one_minus_b1,
                          &one_minus_b2, &eps, &flush))
        return NULL;
    Buffers b = {.count = 0};
    void *p_theta, *p_g, *p_m, *p_v, *p_vh = NULL;
    if (take(&b, o_theta, 1, "theta", &p_theta) < 0 || take(&b, o_g, 0, "g", &p_g) < 0 ||
        take(&b, o_m, 1, "m", &p_m) < 0 || take(&b, o_v, 1, "v", &p_v) < 0 ||
        (o_vh != Py_None && take(&b, o_vh, 1, "v_hat", &p_vh) < 0)) {
        release(&b);
        return NULL;
    }
    const Py_ssize_t n = b.views[0].len / b.views[0].itemsize;
    const int is_float = b.views[0].itemsize == 4;
    Py_BEGIN_ALLOW_THREADS
    FLUSH_BEGIN(flush)
    if (is_float)
        adam_f32(p_theta, p_g, p_m, p_v, p_vh, n, alpha, one_minus_b1, one_minus_b2, eps);
    else
        adam_f64(p_theta, p_g, p_m, p_v, p_vh, n, alpha, one_minus_b1, one_minus_b2, eps);
    FLUSH_END()
    Py_END_ALLOW_THREADS
    release(&b);
    Py_RETURN_NONE;
}

/* ---- SGD ------------------------------------------------------------------------------------------
 *   momentum = 0:  theta <- theta - lr*g
 *   otherwise:     m <- m*mu - lr*g;  theta <- theta + m                 (plain)
 *                                     theta <- (theta - lr*g) + m*mu     (Nesterov, new m)
 */
#define SGD_LOOP(NAME, T)                                                                        \
    CLONES static void NAME(T *th, const T *g, T *m, Py_ssize_t n, double learning_rate,            \
                            double momentum, int nesterov) {                                         \
        const T lr = (T)learning_rate, mu = (T)momentum;                                         \
        if (!m) {                                                                                \
            for (Py_ssize_t i = 0; i < n; i++) th[i] -= g[i] * lr;                               \
        } else if (nesterov) {                                                                   \
            for (Py_ssize_t i = 0; i < n; i++) {                                                 \
                const T step = g[i] * lr;                                                        \
                const T mi = m[i] * mu - step;                                                   \
                m[i] = mi;                                                                       \
                th[i] = (th[i] - step) + mi * mu;                                                \
            }                                                                                    \
        } else {                                                                                 \
            for (Py_ssize_t i = 0; i < n; i++) {                                                 \
                const T mi = m[i] * mu - g[i] * lr;                                              \
                m[i] = mi;                                                                       \
                th[i] += mi;                                                                     \
            }                                                                                    \
        }                                                                                        \
    }

SGD_LOOP(sgd_f32, float)
SGD_LOOP(sgd_f64, double)

static PyObject *sgd(PyObject *self, PyObject *args) {
    PyObject *o_theta, *o_g, *o_m;
    double learning_rate, momentum;
    int nesterov, flush = 1;
    if (!PyArg_ParseTuple(args, "OOOddp|p", &o_theta, &o_g, &o_m, &learning_rate, &momentum, &nesterov, &flush))
        return NULL;
    Buffers b = {.count = 0};
    void *p_theta, *p_g, *p_m = NULL;
    if (take(&b, o_theta, 1, "theta", &p_theta) < 0 || take(&b, o_g, 0, "g", &p_g) < 0 ||
        (o_m != Py_None && take(&b, o_m, 1, "m", &p_m) < 0)) {
        release(&b);
        return NULL;
    }
    const Py_ssize_t n = b.views[0].len / b.views[0].itemsize;
    const int is_float = b.views[0].itemsize == 4;
    Py_BEGIN_ALLOW_THREADS
    FLUSH_BEGIN(flush)
    if (is_float)
        sgd_f32(p_theta, p_g, p_m, n, learning_rate, momentum, nesterov);
    else
        sgd_f64(p_theta, p_g, p_m, n, learning_rate, momentum, nesterov);
    FLUSH_END()
    Py_END_ALLOW_THREADS
    release(&b);
    Py_RETURN_NONE;
}

/* ---- many variables in one call ------------------------------------------------------------------
 * adam_many / sgd_many take lists (one entry per variable) and validate every buffer before touching
 * any, so a refused operand leaves every variable as it was (the caller then falls back to NumPy). */
typedef struct {
    Buffers b;
    void *p[5];
} Entry;

static int take_entry(Entry *e, PyObject **objs, const int *writable, const char **names, int count) {
    e->b.count = 0;
    for (int k = 0; k < 5; k++) e->p[k] = NULL;
    for (int k = 0; k < count; k++) {
        if (objs[k] == Py_None && k >= 2) continue; /* an optional slot (m, v_hat) */
        if (take(&e->b, objs[k], writable[k], names[k], &e->p[k]) < 0) return -1;
    }
    return 0;
}

static PyObject *many(PyObject *args, int is_adam) {
    PyObject *lists[5] = {NULL, NULL, NULL, NULL, NULL};
    double a0, a1, a2, a3 = 0.0;
    int nesterov = 0, flush = 1;
    if (is_adam) {
        if (!PyArg_ParseTuple(args, "OOOOOdddd|p", &lists[0], &lists[1], &lists[2], &lists[3], &lists[4], &a0,
                              &a1, &a2, &a3, &flush))
            return NULL;
    } else if (!PyArg_ParseTuple(args, "OOOddp|p", &lists[0], &lists[1], &lists[2], &a0, &a1, &nesterov,
                                 &flush)) {
        return NULL;
    }
    const int width = is_adam ? 5 : 3;
    PyObject *fast[5] = {NULL, NULL, NULL, NULL, NULL};
    Entry *entries = NULL;
    Py_ssize_t n = 0, taken = 0;
    PyObject *result = NULL;
    for (int k = 0; k < width; k++) {
        fast[k] = PySequence_Fast(lists[k], "expected a list of arrays");
        if (!fast[k]) goto done;
        if (k == 0) n = PySequence_Fast_GET_SIZE(fast[0]);
        if (PySequence_Fast_GET_SIZE(fast[k]) != n) {
            PyErr_SetString(PyExc_ValueError, "the lists must have one entry per variable");
            goto done;
        }
    }
    entries = PyMem_Calloc(n ? n : 1, sizeof(Entry));
    if (!entries) {
        PyErr_NoMemory();
        goto done;
    }
    static const int writable[5] = {1, 0, 1, 1, 1};
    static const char *names[5] = {"theta", "g", "m", "v", "v_hat"};
    for (; taken < n; taken++) {
        PyObject *objs[5];
        for (int k = 0; k < width; k++) objs[k] = PySequence_Fast_GET_ITEM(fast[k], taken);
        if (take_entry(&entries[taken], objs, writable, names, width) < 0) {
            taken++;
            goto done;
        }
        if (is_adam && (!entries[taken].p[2] || !entries[taken].p[3])) {
            PyErr_SetString(PyExc_ValueError, "adam needs m and v for every variable");
            taken++;
            goto done;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    FLUSH_BEGIN(flush)
    for (Py_ssize_t i = 0; i < n; i++) {
        Entry *e = &entries[i];
        const Py_ssize_t size = e->b.views[0].len / e->b.views[0].itemsize;
        const int is_float = e->b.views[0].itemsize == 4;
        if (is_adam) {
            if (is_float)
                adam_f32(e->p[0], e->p[1], e->p[2], e->p[3], e->p[4], size, a0, a1, a2, a3);
            else
                adam_f64(e->p[0], e->p[1], e->p[2], e->p[3], e->p[4], size, a0, a1, a2, a3);
        } else if (is_float) {
            sgd_f32(e->p[0], e->p[1], e->p[2], size, a0, a1, nesterov);
        } else {
            sgd_f64(e->p[0], e->p[1], e->p[2], size, a0, a1, nesterov);
        }
    }
    FLUSH_END()
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    for (Py_ssize_t i = 0; i < taken; i++) release(&entries[i].b);
    PyMem_Free(entries);
    for (int k = 0; k < 5; k++) Py_XDECREF(fast[k]);
    return result;
}

static PyObject *adam_many(PyObject *self, PyObject *args) { return many(args, 1); }
static PyObject *sgd_many(PyObject *self, PyObject *args) { return many(args, 0); }

static PyMethodDef methods[] = {
    {"adam_many", adam_many, METH_VARARGS,
     "adam_many(thetas, gs, ms, vs, v_hats, alpha, one_minus_beta_1, one_minus_beta_2, epsilon): adam over "
     "lists (one entry per variable; v_hats entries may be None); all operands checked before any update."},
    {"sgd_many", sgd_many, METH_VARARGS,
     "sgd_many(thetas, gs, ms, learning_rate, momentum, nesterov): sgd over lists (ms entries may be None); "
     "all operands checked before any update."},
    {"adam", adam, METH_VARARGS,
     "adam(theta, g, m, v, v_hat_or_None, alpha, one_minus_beta_1, one_minus_beta_2, epsilon): "
     "Keras's Adam step in place, in one pass."},
    {"sgd", sgd, METH_VARARGS,
     "sgd(theta, g, m_or_None, learning_rate, momentum, nesterov): SGD step in place, in one pass."},
    {"dense_forward", dense_forward, METH_VARARGS,
     "dense_forward(x, kernel, bias, out, n, k, m, relu): out = x·kernel + bias (then relu) for a small "
     "layer, in one call (_kernels_dense.c)."},
    {"dense_backward", dense_backward, METH_VARARGS,
     "dense_backward(x, kernel, out, g, g_scratch, dx_or_None, dkernel, dbias, n, k, m, activation_code): "
     "the small dense layer's gradients in one call (codes: 0 linear, 1 relu, 2 sigmoid, 3 tanh)."},
    {"bias_act", bias_act, METH_VARARGS,
     "bias_act(out, bias, n, m, relu): out += bias (rows of m), then relu when asked, in place, in one pass."},
    {"relu_grad", relu_grad, METH_VARARGS, "relu_grad(g, out, dst, count): dst = g * (out > 0), in one pass."},
    {"sparse_softmax_ce_forward", sparse_softmax_ce_forward, METH_VARARGS,
     "sparse_softmax_ce_forward(logits, labels, probs, loss, n, classes): softmax into probs and "
     "-log softmax[label] into loss, row by row (_kernels_loss.c)."},
    {"sparse_softmax_ce_backward", sparse_softmax_ce_backward, METH_VARARGS,
     "sparse_softmax_ce_backward(probs, labels, g, dz, n, classes): dz = probs*g - g at the label."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kernels",
    "Optional fused optimizer updates (bit-identical to neurona.optimizers.rules), dense-layer and "
    "cross-entropy kernels.", -1, methods,
};

PyMODINIT_FUNC PyInit__kernels(void) { return PyModule_Create(&module); }
