/* Business-time lookups over a compiled calendar, one pass per query array.
 *
 * The numpy path in calendar.py computes the same thing in about ten whole-array passes;
 * this loop does it in one, with the GIL released. Arrays arrive through the buffer
 * protocol (no numpy headers needed), all int64, C-contiguous, validated by the caller:
 *   bucket_last[k]  index of the last interval starting at or before base + k << shift
 *   next_start[i]   start of interval i + 1 (the last entry is a sentinel beyond every query)
 *   offset[i]       cum_start[i] - start[i];  open_before(t) = min(t + offset[i], cum_end[i])
 *   cum_end[i]      open time up to the end of interval i
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

typedef struct {
    const int64_t *bucket_last, *next_start, *offset, *cum_end;
    Py_ssize_t n_intervals;
    int64_t base;
    int shift;
} calendar_t;

static inline int64_t locate(const calendar_t *c, int64_t t)
{
    int64_t i = c->bucket_last[(t - c->base) >> c->shift];
    while (c->next_start[i] <= t)
        i++;
    return i;
}

static inline int64_t open_at(const calendar_t *c, int64_t i, int64_t t)
{
    int64_t v = t + c->offset[i];
    return v < c->cum_end[i] ? v : c->cum_end[i];
}

static inline int64_t open_before(const calendar_t *c, int64_t t)
{
    return open_at(c, locate(c, t), t);
}

/* Earliest instant where open time reaches `total`, searching forward from interval i:
 * gallop (budgets usually end within a few intervals), then bisect. */
static inline int64_t reach(const calendar_t *c, int64_t i, int64_t total)
{
    Py_ssize_t last = c->n_intervals - 1, lo = i, step = 1, hi;
    while (lo + step < last && c->cum_end[lo + step] < total) {
        lo += step;
        step <<= 1;
    }
    hi = lo + step < last ? lo + step : last;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (c->cum_end[mid] < total)
            lo = mid + 1;
        else
            hi = mid;
    }
    return total - c->offset[lo]; /* = start[lo] + (total - open time before lo) */
}

static int unpack(PyObject *args, calendar_t *c, Py_buffer bufs[4], Py_buffer *x,
                  Py_buffer *y, Py_buffer *out)
{
    long long base;
    if (!PyArg_ParseTuple(args, "y*y*y*y*Liy*y*w*", &bufs[0], &bufs[1], &bufs[2], &bufs[3],
                          &base, &c->shift, x, y, out))
        return 0;
    c->bucket_last = bufs[0].buf;
    c->next_start = bufs[1].buf;
    c->offset = bufs[2].buf;
    c->cum_end = bufs[3].buf;
    c->n_intervals = bufs[3].len / (Py_ssize_t)sizeof(int64_t);
    c->base = (int64_t)base;
    return 1;
}

static void release(Py_buffer bufs[4], Py_buffer *x, Py_buffer *y, Py_buffer *out)
{
    for (int k = 0; k < 4; k++)
        PyBuffer_Release(&bufs[k]);
    PyBuffer_Release(x);
    PyBuffer_Release(y);
    PyBuffer_Release(out);
}

/* business(tables..., base, shift, a, b, out): out = open_before(b) - open_before(a) */
static PyObject *business(PyObject *self, PyObject *args)
{
    calendar_t c;
    Py_buffer bufs[4], a, b, out;
    if (!unpack(args, &c, bufs, &a, &b, &out))
        return NULL;
    const int64_t *pa = a.buf, *pb = b.buf;
    int64_t *po = out.buf;
    Py_ssize_t n = out.len / (Py_ssize_t)sizeof(int64_t);
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < n; k++)
        po[k] = open_before(&c, pb[k]) - open_before(&c, pa[k]);
    Py_END_ALLOW_THREADS
    release(bufs, &a, &b, &out);
    Py_RETURN_NONE;
}

/* due(tables..., base, shift, a, budget, out): earliest t with open time budget after a */
static PyObject *due(PyObject *self, PyObject *args)
{
    calendar_t c;
    Py_buffer bufs[4], a, budget, out;
    if (!unpack(args, &c, bufs, &a, &budget, &out))
        return NULL;
    const int64_t *pa = a.buf, *pb = budget.buf;
    int64_t *po = out.buf;
    Py_ssize_t n = out.len / (Py_ssize_t)sizeof(int64_t);
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < n; k++) {
        if (pb[k] <= 0) {
            po[k] = pa[k];
            continue;
        }
        int64_t i = locate(&c, pa[k]);
        po[k] = reach(&c, i, open_at(&c, i, pa[k]) + pb[k]);
    }
    Py_END_ALLOW_THREADS
    release(bufs, &a, &budget, &out);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"business", business, METH_VARARGS, "Open time between pairs of instants."},
    {"due", due, METH_VARARGS, "Instant when an open-time budget runs out."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_calkernel", NULL, -1, methods};

PyMODINIT_FUNC PyInit__calkernel(void) { return PyModule_Create(&module); }
