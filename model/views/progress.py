"""Progress bars for notebooks: the ``progress(done, total)`` callbacks of the analysis
functions drawn with ``tqdm.auto`` (a widget in Jupyter, text elsewhere; tqdm comes with
Mesa)."""

from __future__ import annotations

from collections.abc import Callable


def tqdm_progress(label: str, unit: str = "run") -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback that draws one tqdm bar labelled ``label``
    (closed when ``done == total``)."""
    from tqdm.auto import tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=label, unit=unit)
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def tqdm_factory(unit: str = "run") -> Callable[[str], Callable[[int, int], None]]:
    """A ``progress_factory(label)`` (as :func:`model.analysis.validation.validate`,
    ``compare`` and ``ablate`` take) giving one :func:`tqdm_progress` bar per label."""
    return lambda label: tqdm_progress(label, unit)
