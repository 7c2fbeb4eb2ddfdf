"""Charts for the feedback pages and the class report, as PNG data URIs.

Everything is drawn with matplotlib's Agg backend (no display, no files) and
returned as ``data:image/png;base64,...`` so a page embeds its own images.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from autograder.grading.sweeps import Curve

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib import rc_context  # noqa: E402  (not pyplot: a second of import for nothing)
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

DPI = 100
CORRECT = "#8fb8de"      # a wide pale band: the correct curve
STUDENT = "#d9480f"      # a thin strong line on top: the student's
MISSING = "#c92a2a"
BAR = "#4263eb"
PASS_RATE = LinearSegmentedColormap.from_list("pass", ["#ff6b6b", "#ffd43b", "#b2f2bb"])  # dark text reads on all

_STYLE: dict[str, Any] = {"font.size": 9, "axes.titlesize": 10, "axes.spines.top": False, "axes.spines.right": False,
          "axes.grid": True, "grid.alpha": 0.3, "font.family": "DejaVu Sans"}


class _Canvas(FigureCanvasAgg):
    """Agg's canvas, drawing on one renderer per image size kept for the
    whole process (``draw`` clears it first, as when a canvas draws again).
    Matplotlib caches the size of every text and the layout of every formula
    (the symlog axes' tick labels) per renderer: a new renderer per figure
    measured them all again, the largest part of drawing a curve."""

    _shared: dict[tuple, RendererAgg] = {}

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        renderer = self._shared.get(key)
        if renderer is None:
            if len(self._shared) >= 8:            # the class report's sizes vary with the class
                self._shared.pop(next(iter(self._shared)))
            renderer = self._shared[key] = RendererAgg(w, h, self.figure.dpi)
        self.renderer, self._lastKey = renderer, key  # type: ignore[assignment]
        return renderer


def _figure(width: float, height: float) -> Figure:
    """A figure of its own (no pyplot state), drawn by Agg; call inside rc_context."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    _Canvas(fig)
    return fig


def _uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _nan(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


# ------------------------------------------------------------------ feedback

def curve_plot(curve: Curve) -> str:
    """The student's function (thin line) over the correct one (wide band)
    along one sweep; grid points where the student's call gave no finite
    number are marked with crosses under the axis.

    Students who make the same mistake draw the same curve: plots are cached
    by the curve's content (student values to 5 significant digits, which no
    eye can tell apart), so a class costs one drawing per distinct curve."""
    student = [None if v is None else float(f"{v:.5g}") for v in curve.student]
    key = json.dumps([curve.title, curve.x_label, curve.y_label, curve.x_scale,
                      curve.y_scale, curve.x, curve.reference, student])
    return _shared(key, _cached_curve_plot)


def cache_file(key: str) -> Path | None:
    """Where a figure drawn for ``key`` is shared (None: not shared)."""
    return None if CACHE_DIR is None else CACHE_DIR / (hashlib.sha256(key.encode()).hexdigest() + ".uri")


def _shared(key: str, draw) -> str:
    """``draw(key)``, or what a renderer of this run drew for the same key (``CACHE_DIR``)."""
    path = cache_file(key)
    if path is None:
        return draw(key)
    try:
        return path.read_text()
    except OSError:
        pass
    uri = draw(key)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(uri)
    os.replace(tmp, path)
    return uri


CACHE_DIR: Path | None = None     # set by the engine: plots shared by its renderer processes


def use_cache_dir(folder: Path | None) -> None:
    global CACHE_DIR
    CACHE_DIR = folder


@lru_cache(maxsize=512)
def _cached_curve_plot(key: str) -> str:
    title, x_label, y_label, x_scale, y_scale, x, reference, student = json.loads(key)
    return _draw_curve({"title": title, "x_label": x_label, "y_label": y_label, "x_scale": x_scale,
                        "y_scale": y_scale, "x": x, "reference": reference, "student": student})


def _draw_curve(curve: dict) -> str:
    with rc_context(_STYLE):
        fig = _figure(6.4, 3.5)
        ax = fig.add_subplot()
        x, ref, mine = np.array(curve["x"], dtype=np.float64), _nan(curve["reference"]), _nan(curve["student"])
        dense = len(x) <= 60
        ax.plot(x, ref, color=CORRECT, lw=6, solid_capstyle="round", label="correct", zorder=2)
        gaps = np.isnan(mine) & ~np.isnan(ref)
        if gaps.all():
            ax.text(0.5, 0.5, "your function gave no finite value\nanywhere on this sweep", ha="center",
                    va="center", transform=ax.transAxes, color=MISSING, fontsize=11,
                    bbox={"facecolor": "white", "edgecolor": MISSING, "boxstyle": "round"})
        else:
            ax.plot(x, mine, color=STUDENT, lw=1.6, marker="o" if dense else None, ms=2.5,
                    label="your function", zorder=3)
            if gaps.any():
                ax.plot(x[gaps], np.full(gaps.sum(), 0.03), ls="none", marker="x", ms=6, mew=1.6,
                        color=MISSING, transform=ax.get_xaxis_transform(), clip_on=False, zorder=4,
                        label="your function: no finite value")
        _set_scales(ax, curve, ref, mine)
        # The title and the key are in the page's caption: text is what costs most to draw.
        ax.set_xlabel(curve["x_label"])
        ax.set_ylabel(curve["y_label"])
        # fixed margins: tight_layout would measure every label and cost as much as the drawing
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.15, top=0.96)
        return _uri(fig)


def _set_scales(ax, curve, ref, mine) -> None:
    if curve.get("x_scale") == "symlog":
        ax.set_xscale("symlog", linthresh=10)
    finite_ref = np.abs(ref[np.isfinite(ref)])
    finite_mine = np.abs(mine[np.isfinite(mine)])
    ref_size = float(finite_ref.max()) if finite_ref.size else 1.0
    wide = finite_mine.size and float(finite_mine.max()) > 100 * max(ref_size, 1e-12)
    if curve.get("y_scale") == "symlog" or wide:
        positive = finite_ref[finite_ref > 0]
        linthresh = 1.0 if curve.get("y_scale") == "symlog" else max(ref_size, 1e-12)
        if positive.size and curve.get("y_scale") != "symlog":
            linthresh = float(np.median(positive))
        ax.set_yscale("symlog", linthresh=linthresh)


# ------------------------------------------------------------------ class report

def score_histogram(scores: list[float], max_score: float, errors: int = 0) -> str:
    """Scores of the graded submissions in 5 % bins, mean and median marked."""
    with rc_context(_STYLE):
        fig = _figure(7.0, 3.2)
        ax = fig.add_subplot()
        bins = np.linspace(0, max_score, 21)
        counts, _, patches = ax.hist(scores, bins=bins, color=BAR, edgecolor="white")
        for count, patch in zip(counts, patches):
            if count:
                ax.annotate(f"{int(count)}", (patch.get_x() + patch.get_width() / 2, count),
                            ha="center", va="bottom", fontsize=8, xytext=(0, 1), textcoords="offset points")
        if scores:
            mean, median = float(np.mean(scores)), float(np.median(scores))
            ax.axvline(mean, color="#212529", ls="--", lw=1.2, label=f"mean {mean:.1f}")
            ax.axvline(median, color="#f08c00", ls=":", lw=1.8, label=f"median {median:.1f}")
            ax.legend(loc="upper left", fontsize=8)
        ax.set_xlim(0, max_score)
        ax.set_ylim(0, max(1, counts.max() if len(counts) else 1) * 1.15)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(f"score (of {max_score:g})")
        ax.set_ylabel("submissions")
        note = f"; {errors} not graded (error) left out" if errors else ""
        ax.set_title(f"Score distribution: {len(scores)} graded submissions{note}")
        fig.tight_layout()
        return _uri(fig)


def mistake_bars(rows: list[tuple[str, int, str]], graded: int) -> tuple[str, list[dict]]:
    """Horizontal bars, the first row on top (pass them most frequent
    first). ``rows`` are (mistake id, number of students, link). Returns the
    image and, for an image map, one clickable rectangle per bar row:
    {"href", "coords", "title"}."""
    with rc_context(_STYLE):
        fig = _figure(8.0, 0.9 + 0.28 * max(len(rows), 1))
        ax = fig.add_subplot()
        if not rows:
            ax.text(0.5, 0.5, "no named mistakes in this class", ha="center", va="center",
                    transform=ax.transAxes)
            ax.set_axis_off()
            fig.tight_layout()
            return _uri(fig), []
        labels = [r[0] for r in rows]
        counts = [r[1] for r in rows]
        y = np.arange(len(rows))[::-1]
        bars = ax.barh(y, counts, color=BAR, height=0.7)
        ax.set_yticks(y, labels)
        for bar, count in zip(bars, counts):
            ax.annotate(f"{count}", (bar.get_width(), bar.get_y() + bar.get_height() / 2), va="center",
                        fontsize=8, xytext=(3, 0), textcoords="offset points")
        ax.set_xlim(0, max(counts) * 1.12)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(f"students whose work shows the mistake (of {graded} graded)")
        fig.tight_layout()
        fig.canvas.draw()
        width, height = fig.canvas.get_width_height()
        areas = []
        for (mistake, count, href), bar in zip(rows, bars):
            box = bar.get_window_extent()
            top, bottom = height - box.y1 - 2, height - box.y0 + 2
            areas.append({"href": href, "title": f"{mistake}: {count}",
                          "coords": f"0,{max(0, int(top))},{width},{min(height, int(math.ceil(bottom)))}"})
        return _uri(fig), areas


def pass_rate_heatmap(functions: list[str], checks: dict[str, list[tuple[str, float | None]]]) -> str:
    """One row per function, one cell per check (short name and the share of
    graded students who passed it), red for rarely passed, green for passed by all.
    Shared through ``CACHE_DIR``: the engine has one renderer draw it while
    another writes the rest of the class files."""
    return _shared(heatmap_key(functions, checks), lambda _: _draw_heatmap(functions, checks))


def heatmap_key(functions: list[str], checks: dict[str, list[tuple[str, float | None]]]) -> str:
    return json.dumps(["pass_rate_heatmap", functions, [[list(cell) for cell in checks[f]] for f in functions]])


def _draw_heatmap(functions: list[str], checks: dict[str, list[tuple[str, float | None]]]) -> str:
    width = max((len(checks[f]) for f in functions), default=1)
    grid = np.full((len(functions), width), np.nan)
    for i, f in enumerate(functions):
        for j, (_, rate) in enumerate(checks[f]):
            grid[i, j] = np.nan if rate is None else rate
    with rc_context({**_STYLE, "axes.grid": False}):
        fig = _figure(11.0, 0.9 + 0.34 * len(functions))
        ax = fig.add_subplot()
        ax.imshow(np.ma.masked_invalid(grid), cmap=PASS_RATE, vmin=0, vmax=1, aspect="auto")
        for i, f in enumerate(functions):
            for j, (name, rate) in enumerate(checks[f]):
                text = f"{name}\n{'n/a' if rate is None else f'{rate:.0%}'}"
                ax.text(j, i, text, ha="center", va="center", fontsize=7, color="#212529")
        ax.set_yticks(range(len(functions)), functions)
        ax.set_xticks([])
        ax.set_xticks(np.arange(-0.5, width), minor=True)
        ax.set_yticks(np.arange(-0.5, len(functions)), minor=True)
        ax.grid(which="minor", color="white", lw=2)
        ax.tick_params(which="minor", length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_title("Share of graded students passing each check (one row per function)")
        fig.tight_layout()
        return _uri(fig)
