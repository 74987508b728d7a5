/* neurona._kernels: optional fused optimizer updates, one pass over memory instead of one NumPy call per
 * term of the formula.
 *
 * Each kernel computes exactly what the NumPy rule of the same name in neurona/optimizers/rules.py
 * computes, in the same order and the same precision, so the two paths give bit-identical results (the
 * tests compare them with ==). Compiled without floating-point contraction (no fused multiply-add) and
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

/* The loops are compiled twice where GCC can dispatch at load time (x86-64 Linux): for AVX2 and for the
 * baseline; the CPU picks. AVX2 here brings no FMA, and division and square root are correctly rounded
 * in every instruction set, so both clones give NumPy's results. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLONES
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
    if (!PyArg_ParseTuple(args, "OOOOOdddd", &o_theta, &o_g, &o_m, &o_v, &o_vh, &alpha, &one_minus_b1,
                          &one_minus_b2, &eps))
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
    if (is_float)
        adam_f32(p_theta, p_g, p_m, p_v, p_vh, n, alpha, one_minus_b1, one_minus_b2, eps);
    else
        adam_f64(p_theta, p_g, p_m, p_v, p_vh, n, alpha, one_minus_b1, one_minus_b2, eps);
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
    int nesterov;
    if (!PyArg_ParseTuple(args, "OOOddp", &o_theta, &o_g, &o_m, &learning_rate, &momentum, &nesterov))
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
    if (is_float)
        sgd_f32(p_theta, p_g, p_m, n, learning_rate, momentum, nesterov);
    else
        sgd_f64(p_theta, p_g, p_m, n, learning_rate, momentum, nesterov);
    Py_END_ALLOW_THREADS
    release(&b);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"adam", adam, METH_VARARGS,
     "adam(theta, g, m, v, v_hat_or_None, alpha, one_minus_beta_1, one_minus_beta_2, epsilon): "
     "Keras's Adam step in place, in one pass."},
    {"sgd", sgd, METH_VARARGS,
     "sgd(theta, g, m_or_None, learning_rate, momentum, nesterov): SGD step in place, in one pass."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kernels",
    "Optional fused optimizer updates, bit-identical to neurona.optimizers.rules.", -1, methods,
};

PyMODINIT_FUNC PyInit__kernels(void) { return PyModule_Create(&module); }
