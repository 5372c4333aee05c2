"""Seeds as people write them, and the seeds of an ensemble's runs.

Run ``k`` of an ensemble with base seed ``s`` uses ``SeedSequence(s).spawn(n)[k]`` (for any
``n > k``) and is written ``s/k`` in ``runs.csv`` (:func:`seed_label`); :func:`parse_seed`
reads that text back into the same seed, so that ``troika run --seed s/k`` repeats the row.
A plain integer ``n`` is ``SeedSequence(n)`` itself, and ``s/k.j`` a seed spawned from a
spawned seed. :func:`seed_from_text` also accepts any other text (for notebooks; the app
takes only these two forms): it is hashed with SHA-256, never with Python's ``hash()``,
which changes with every process.
numpy is imported when a seed is made, so that the command line can read this module (and
:data:`DEFAULT_BASE_SEED`) at start-up.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    Seed = int | np.random.SeedSequence

DEFAULT_BASE_SEED = 20221922

MAX_SEED_CHARS = 200
_SEED = re.compile(r"(\d+)(?:/(\d+(?:\.\d+)*))?")


def run_seed(base_seed: int, k: int) -> np.random.SeedSequence:
    """The seed of run ``k``: ``SeedSequence(base_seed).spawn(n)[k]`` for any ``n > k``."""
    import numpy as np

    return np.random.SeedSequence(base_seed, spawn_key=(k,))


def run_seeds(base_seed: int, runs: int) -> list[np.random.SeedSequence]:
    """The seed of each run of an ensemble (independent streams)."""
    return [run_seed(base_seed, k) for k in range(runs)]


def seed_label(seq: np.random.SeedSequence) -> str:
    """A readable, reproducible name for a spawned seed: ``entropy/spawn_key``."""
    return f"{seq.entropy}/{'.'.join(str(k) for k in seq.spawn_key)}"


def seed_text(seed: Seed) -> str:
    """How a seed is written (in a manifest, a folder name, ``runs.csv``): ``n`` for an
    integer or a seed with no spawn key, ``entropy/k`` for a spawned one."""
    import numpy as np

    if isinstance(seed, np.random.SeedSequence):
        return seed_label(seed) if seed.spawn_key else str(seed.entropy)
    return str(seed)


def parse_seed(text: str) -> Seed:
    """A seed from its text: a non-negative integer ``n`` (returned as an int), or an
    ensemble run's ``entropy/k`` (``k`` dotted when spawned more than once), returned as the
    ``SeedSequence`` that run used. Raises ``ValueError`` with a one-line reason otherwise."""
    text = text.strip()
    if len(text) > MAX_SEED_CHARS:
        raise ValueError(f"longer than {MAX_SEED_CHARS} characters")
    match = _SEED.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a seed (a non-negative integer, or BASE/K as in "
                         "the seed column of runs.csv)")
    entropy, keys = match.groups()
    if keys is None:
        return int(entropy)
    import numpy as np

    return np.random.SeedSequence(int(entropy),
                                  spawn_key=tuple(int(k) for k in keys.split(".")))


def seed_from_text(text: str) -> Seed | None:
    """A seed from free text (a seed box): ``None`` (fresh entropy) when empty, the seed of
    :func:`parse_seed` when it reads as one, else the first eight bytes of the text's
    SHA-256 as an integer, the same in every process and on every machine."""
    text = text.strip()
    if not text:
        return None
    try:
        return parse_seed(text)
    except ValueError:
        return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
