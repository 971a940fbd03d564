"""How sitegen's cold build time grows from one corpus size to a bigger one, side by side.

run.py builds every size of every tool in turn, so its 10,000-post and 100,000-post builds are
tens of minutes apart; this host's speed drifts by tens of percent over such a span, which then
shows up as growth. Here the two sizes alternate (small, big, small, big, ..., small) and each
big build is divided by the mean of the small builds just before and after it.

    python bench/scaling.py --sizes 10000 100000 --rounds 2
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from corpus import posts
from peers import PEERS
from run import cold, corpus_site, measure, prepare


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10000, 100000], metavar=("SMALL", "BIG"))
    parser.add_argument("--rounds", type=int, default=2, help="big builds (the small one runs one more time)")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    base, peer = Path("/dev/shm/sitegen-bench"), PEERS["sitegen"]
    sites = {size: _corpus(size, base) for size in args.sizes}
    small, big = args.sizes
    times: dict[int, list[float]] = {small: [], big: []}
    for size in [small, *[s for _ in range(args.rounds) for s in (big, small)]]:
        site = sites[size]
        output = site.parent / "output"
        cold(peer, site, output)
        run = measure(peer.command(site, output, Path()), site, args.timeout)
        if not run.ok:
            print(f"{size} posts: {run.note}", file=sys.stderr)
            return 1
        times[size].append(run.seconds)
        print(f"{size:>7} posts: {run.seconds:7.2f} s", file=sys.stderr)
    ratios = [b / statistics.mean(times[small][n : n + 2]) for n, b in enumerate(times[big])]
    print(f"| {big:,} over {small:,} posts | " + " | ".join(f"{r:.2f}" for r in ratios) + " |")
    for size in (small, big):
        print(f"{size:,} posts: " + ", ".join(f"{t:.2f}" for t in times[size]) + " s")
    print(f"median ratio {statistics.median(ratios):.2f}")
    return 0


def _corpus(size: int, base: Path) -> Path:
    """The corpus run.py wrote for sitegen at this size, or a new one (posts() is slow at 100,000)."""
    site, ready = corpus_site("sitegen", size, base)
    return site if ready else prepare("sitegen", PEERS["sitegen"], size, base, posts(size))


if __name__ == "__main__":
    sys.exit(main())
