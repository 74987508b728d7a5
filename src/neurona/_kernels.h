/* Shared by the three parts of neurona._kernels: the dispatch macro and parts 2 and 3's entry points. */
#ifndef NEURONA_KERNELS_H
#define NEURONA_KERNELS_H

#include <Python.h>

/* The loops are compiled twice where GCC can dispatch at load time (x86-64 Linux): for AVX2 and for the
 * baseline; the CPU picks. AVX2 here brings no FMA, and division and square root are correctly rounded
 * in every instruction set, so both clones give the same results. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLONES
#endif

/* Operands taken through the buffer protocol, released together (_kernels_dense.c). */
#define MAX_VIEWS 8
typedef struct {
    Py_buffer views[MAX_VIEWS];
    int count;
    Py_ssize_t itemsize; /* of the float operands: 4 or 8 (0 until the first is taken) */
} Views;
void release_views(Views *v);
int view_of(Views *v, PyObject *obj, int writable, int is_index, const char *name, Py_ssize_t count, void **data);

/* _kernels_dense.c */
PyObject *dense_forward(PyObject *self, PyObject *args);
PyObject *dense_backward(PyObject *self, PyObject *args);
PyObject *bias_act(PyObject *self, PyObject *args);
PyObject *relu_grad(PyObject *self, PyObject *args);

/* _kernels_loss.c */
PyObject *sparse_softmax_ce_forward(PyObject *self, PyObject *args);
PyObject *sparse_softmax_ce_backward(PyObject *self, PyObject *args);

#endif
