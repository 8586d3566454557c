"""How this process does spaCy's arithmetic and holds its memory: set once, before the model loads.

Parsing is the dearest step of the service, and most of it is the entity recogniser's own
token-to-vector layers: a few large matrix products per piece of text, with arrays of several
megabytes made and freed for each piece. Three settings, each measured on the benchmark's
40-page minutes (96,000 characters, 19,000 tokens, 2-core AMD EPYC, en_core_web_sm 3.8):

- thinc multiplies matrices with BLIS by default. The BLIS build in the wheel runs at 20-30
  GFLOP/s on this machine, numpy's OpenBLAS at about 90 on one thread; with
  ``NumpyOps(use_blis=False)`` the recogniser's token vectors take 0.31 s instead of 0.9 s.
  The transition steps still use BLIS (thinc offers no way to change them from Python). The
  entities and sentences are the same (tests/understand/test_numeric.py compares them).
- OpenBLAS starts one thread per core. The driver and the batch's children already use every
  core, one process each, so a second thread per process only competes: one thread.
- glibc returns freed memory at the top of the heap to the system as soon as more than a few
  megabytes are free, and serves blocks above a moving threshold with fresh ``mmap`` pages, so
  every piece of text faulted in new zeroed pages (42,000 minor faults per parse of the 40-page
  minutes; none with these settings). Blocks up to 32 MB come from the heap, and up to 256 MB
  of free heap is kept. The memory stays with the process for the next document; the peak,
  which the service's limits are about, is the same.

Together: the 40-page parse went from about 2.1 s to 1.3 s. The settings are process-wide, so
they are made here once, by ``extract.nlp.load_nlp``, before the model is built (thinc binds its
operations when the model's layers are created); children forked later inherit them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import logging

log = logging.getLogger("extract.numeric")

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
HEAP_BLOCK_LIMIT = 32 * 1024 * 1024  # glibc's largest allowed mmap threshold on 64-bit systems
HEAP_KEEP_FREE = 256 * 1024 * 1024

_configured = False


def configure() -> None:
    """Idempotent: the first call sets everything; later ones do nothing."""
    global _configured
    if _configured:
        return
    _configured = True
    _one_blas_thread()
    _numpy_products()
    _keep_heap()


def _one_blas_thread() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _numpy_products() -> None:
    from thinc.api import NumpyOps, get_current_ops, set_current_ops

    current = get_current_ops()
    if isinstance(current, NumpyOps) and getattr(current, "use_blis", False):
        set_current_ops(NumpyOps(use_blis=False))


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c"))


def _keep_heap() -> None:
    """Only where the C library is glibc; elsewhere the defaults stay (slower, not wrong)."""
    try:
        mallopt = _libc().mallopt
    except (OSError, AttributeError, TypeError):
        log.debug("no mallopt in this C library; memory settings left at their defaults")
        return
    if not (mallopt(_M_MMAP_THRESHOLD, HEAP_BLOCK_LIMIT) and mallopt(_M_TRIM_THRESHOLD, HEAP_KEEP_FREE)):
        log.debug("mallopt refused the heap settings; left at their defaults")


def release_free_heap() -> None:
    """Hand the heap's free memory back to the system (glibc's malloc_trim). For a long-lived
    process that has just finished an unusually large piece of work: the heap settings above
    would otherwise keep up to ``HEAP_KEEP_FREE`` of it for the next one."""
    with contextlib.suppress(OSError, AttributeError, TypeError):
        _libc().malloc_trim(0)
