"""A papermill engine that keeps one warm kernel per process and reuses it across runs.

Starting a kernel and importing pandas, matplotlib and reportlib costs about a second per run;
with :class:`WarmEngine` only the first run of a build worker pays it. Every run is still a
papermill execution (parameters injected, the executed notebook kept). Between runs the kernel's
namespace is cleared (``%reset -f``) and its execution counter set back to 1, so a notebook sees
no variable of the previous one and its cells are numbered from 1. The executed notebook is
written once when the run ends, not after every cell. A run that fails or times out
takes its kernel with it (the next run starts a fresh one), and a kernel is replaced after
:data:`MAX_RUNS_PER_KERNEL` runs so that nothing accumulates.

The engine is registered with papermill as ``reportlib_warm`` (entry point ``papermill.engine``,
and by :func:`register` for a process that runs from a source checkout):

    papermill notebooks/report_profile.ipynb out.ipynb --engine reportlib_warm
"""

from __future__ import annotations

import atexit
import functools
import threading
from typing import Any

from jupyter_client.manager import KernelManager

__all__ = ["ENGINE_NAME", "MAX_RUNS_PER_KERNEL", "RESET_CODE", "KernelPool", "pool", "register"]  # and WarmEngine (lazy)

ENGINE_NAME = "reportlib_warm"
MAX_RUNS_PER_KERNEL = 100
#: Run silently in the kernel before each notebook but the first: clear the user namespace
#: (imported modules stay loaded, which is the point) and number the cells from 1 again.
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')\nget_ipython().execution_count = 1\n"


class KernelPool:
    """The warm kernel of one thread (one at a time): see :func:`pool`."""

    def __init__(self) -> None:
        self.km: KernelManager | None = None
        self.kernel_name = ""
        self.runs = 0
        self.started = 0  # kernels started so far (for tests and the benchmark)

    def acquire(self, kernel_name: str) -> KernelManager:
        """A kernel manager for the next run: the warm kernel, reset, when it is alive, of the
        same kernel name and under its run limit; else a new manager (nbclient starts its kernel)."""
        km = self.km
        if km is not None and (kernel_name != self.kernel_name or self.runs >= MAX_RUNS_PER_KERNEL
                               or not km.has_kernel or not km.is_alive() or not self._reset(km)):
            self.discard()
            km = None
        if km is None:
            km = self.km = KernelManager(kernel_name=kernel_name)
            self.kernel_name, self.runs = kernel_name, 0
            self.started += 1
        self.runs += 1
        return km

    @staticmethod
    def _reset(km: KernelManager) -> bool:
        kc = km.client()
        try:
            kc.start_channels()
            kc.wait_for_ready(timeout=30)
            reply = kc.execute_interactive(RESET_CODE, silent=True, store_history=False, timeout=30)
            return reply["content"]["status"] == "ok"
        except Exception:  # a kernel that cannot be reset is replaced
            return False
        finally:
            kc.stop_channels()

    def discard(self) -> None:
        """Shut the warm kernel down (after a failure, or at exit)."""
        km, self.km = self.km, None
        if km is not None and km.has_kernel:
            try:
                km.shutdown_kernel(now=True)
            except Exception:  # already gone
                pass


_LOCAL = threading.local()


def pool() -> KernelPool:
    """The warm kernel of the calling thread: one per build worker process, and one per thread
    where a process runs several notebooks at once (a Dask worker with several threads)."""
    current = getattr(_LOCAL, "pool", None)
    if current is None:
        current = _LOCAL.pool = KernelPool()
        atexit.register(current.discard)
    return current


@functools.cache
def _engine_class() -> type:
    """The engine class, made on first use: papermill imports this module while it loads its own
    entry points, so the module must not import ``papermill.engines`` at its top (a cycle)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine, on the thread's warm kernel (see :mod:`reportlib.build.warmkernel`)."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                     stdout_file: Any = None, stderr_file: Any = None, start_timeout: int = 60,
                                     execution_timeout: int | None = None, **kwargs: Any) -> Any:
            kwargs = remove_args(["input_path", "km"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file,
            )
            km = pool().acquire(kernel_name)
            client = PapermillNotebookClient(nb_man, km=km, **final_kwargs)
            # papermill writes the whole notebook before and after every cell; papermill writes the
            # result once more when the engine returns, so here it is written only if the run fails.
            save, nb_man.save = nb_man.save, lambda **kwargs: None
            ok = False
            try:
                result = client.execute()
                ok = True
                return result
            finally:
                nb_man.save = save
                if client.kc is not None:
                    client.kc.stop_channels()
                if not ok:  # keep what ran; the kernel's state is unknown after a failure or a time-out
                    save()
                    pool().discard()

    WarmEngine.__module__ = __name__
    return WarmEngine


def __getattr__(name: str) -> Any:
    """``reportlib.build.warmkernel.WarmEngine`` (the entry point) resolves to :func:`_engine_class`."""
    if name == "WarmEngine":
        return _engine_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register() -> None:
    """Make ``reportlib_warm`` known to papermill in this process (the entry point does it for an
    installed package)."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, _engine_class())
