"""Run study points on a Ray cluster (an optional extra: `pip install -e '.[ray]'`).

    python -m training study --profile full --executor ray --address HOST:6379

Each point is one Ray task with one CPU and one torch thread, exactly as a local worker process
runs it, so a point gives the same numbers wherever it runs. Tasks return the results row, the
ONNX bytes and the pseudo-label log; nothing on the cluster touches the bundle, which this machine alone writes.
"""

from __future__ import annotations

from typing import Callable, Iterator, TypeVar

from training.study import StudyError

# A study job: a point to train or a model to build (training.study.PointJob, ArtifactJob).
Job = TypeVar("Job")


def _run_with_one_thread(run_point: Callable, job):
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    with threadpool_limits(1):
        return run_point(job)


def run_on_ray(jobs: list[Job], run_point: Callable, *, address: str | None) -> Iterator[tuple[Job, object]]:
    """Yield (job, run_point(job)) as points finish, or (job, exception) for a failed point."""
    try:
        import ray
    except ImportError:
        raise StudyError("The Ray executor needs Ray: run `pip install -e '.[ray]'`.") from None

    started_here = not ray.is_initialized()
    if started_here:
        try:
            # The workers import `training` from this checkout: ship it with the tasks.
            ray.init(address=address, log_to_driver=False, include_dashboard=False,
                     runtime_env={"env_vars": {"OMP_NUM_THREADS": "1"}})
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise StudyError(f"Could not reach the Ray cluster at {address or 'a new local instance'}: {error}") from None
    remote_point = ray.remote(num_cpus=1, max_retries=0)(_run_with_one_thread)
    pending = {remote_point.remote(run_point, job): job for job in jobs}
    try:
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            job = pending.pop(done[0])
            try:
                yield job, ray.get(done[0])
            except Exception as error:  # a failed point is reported, the others go on
                yield job, getattr(error, "cause", None) or error
    finally:
        for reference in pending:
            ray.cancel(reference, force=True)
        if started_here:
            ray.shutdown()
