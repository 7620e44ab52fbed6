"""Convex polygons in the plane: hull, half-plane clipping, distances (numba kernels).

A polygon is an ``(k, 2)`` float array of its vertices in counter-clockwise order with no
repeated or collinear vertices. ``k`` may be 0 (empty set), 1 (a point) or 2 (a segment), so
degenerate sets of equilibrium payoffs need no special case in the callers.

The kernels (:func:`sim._jit.kernel`) compile on their first compiled call (``cache=True``);
importing this module does not import numba.
"""

from __future__ import annotations

import numpy as np

from sim._jit import kernel


@kernel()
def _cross(o0, o1, a0, a1, b0, b1):
    """z-component of ``(a - o) x (b - o)``; positive when ``o, a, b`` turn left."""
    return (a0 - o0) * (b1 - o1) - (a1 - o1) * (b0 - o0)


@kernel()
def _is_dent(o, a, bx, by, eps):
    """Whether ``a`` is no vertex of the chain ``o -> a -> b``: a right turn or straight, or
    a left turn by less than ``eps`` (distance from the chord) with ``a`` between ``o`` and
    ``b`` along the chord. Points outside the chord are never dropped by the tolerance, so
    nearly vertical edges, whose points the x-sort may take out of order, stay intact."""
    cross = _cross(o[0], o[1], a[0], a[1], bx, by)
    if cross <= 0.0:
        return True
    dx = bx - o[0]
    dy = by - o[1]
    length2 = dx * dx + dy * dy
    along = (a[0] - o[0]) * dx + (a[1] - o[1]) * dy
    return cross <= eps * np.sqrt(length2) and 0.0 <= along <= length2


@kernel()
def hull_kernel(points, n, eps):
    """Convex hull of ``points[:n]`` by Andrew's (1979) monotone chain.

    Returns the counter-clockwise vertices, starting from the lexicographically smallest.
    Points closer than ``eps`` merge and vertices within ``eps`` of the chord of their
    neighbours are dropped (:func:`_is_dent`), so a hull of (nearly) collinear points is a
    segment and of coincident points a single point.
    """
    out = np.empty((0, 2))
    if n == 0:
        return out
    pts = points[:n]
    by_y = np.argsort(pts[:, 1], kind="mergesort")
    order = by_y[np.argsort(pts[by_y, 0], kind="mergesort")]
    chain = np.empty((2 * n + 1, 2))
    k = 0
    for sweep in range(2):
        start = k
        for s in range(n):
            i = order[s] if sweep == 0 else order[n - 1 - s]
            px = pts[i, 0]
            py = pts[i, 1]
            while k - start >= 2 and _is_dent(chain[k - 2], chain[k - 1], px, py, eps):
                k -= 1
            chain[k, 0] = px
            chain[k, 1] = py
            k += 1
        k -= 1  # the last point of each chain starts the other one
    # drop vertices (cyclically) closer than eps to the previous kept vertex
    keep = np.empty((k, 2))
    m = 0
    for i in range(k):
        if m == 0 or (abs(chain[i, 0] - keep[m - 1, 0]) > eps
                      or abs(chain[i, 1] - keep[m - 1, 1]) > eps):
            keep[m] = chain[i]
            m += 1
    while m > 1 and (abs(keep[m - 1, 0] - keep[0, 0]) <= eps
                     and abs(keep[m - 1, 1] - keep[0, 1]) <= eps):
        m -= 1
    if k == 0:  # a single point: both chains collapsed
        keep = chain[:1].copy()
        m = 1
    # the chains' start and turning points are never tested against their cyclic
    # neighbours above: drop any vertex that is a dent between them
    changed = m > 2
    while changed and m > 2:
        changed = False
        for i in range(m):
            prev = keep[i - 1] if i > 0 else keep[m - 1]
            nxt = keep[(i + 1) % m]
            if _is_dent(prev, keep[i], nxt[0], nxt[1], eps):
                keep[i:m - 1] = keep[i + 1:m].copy()
                m -= 1
                changed = True
                break
    return keep[:m].copy()


@kernel()
def cut_kernel(poly, nx, ny, level, eps):
    """The part of convex polygon ``poly`` in the half-plane ``nx * x + ny * y <= level``
    (Sutherland & Hodgman 1974). Vertices within ``eps`` (times ``|n|``) outside count as
    on the line; new vertices lie on the line, exactly so when it is axis-parallel.
    Degenerate polygons (point, segment) are clipped as closed cycles."""
    n = poly.shape[0]
    out = np.empty((2 * n + 2, 2))
    m = 0
    for i in range(n):
        s = poly[i - 1] if i > 0 else poly[n - 1]
        e = poly[i]
        s_val = nx * s[0] + ny * s[1]
        e_val = nx * e[0] + ny * e[1]
        s_in = s_val <= level + eps
        e_in = e_val <= level + eps
        if s_in != e_in:
            t = (level - s_val) / (e_val - s_val)
            t = min(max(t, 0.0), 1.0)
            out[m, 0] = s[0] + t * (e[0] - s[0])
            out[m, 1] = s[1] + t * (e[1] - s[1])
            if ny == 0.0:
                out[m, 0] = level / nx
            elif nx == 0.0:
                out[m, 1] = level / ny
            m += 1
        if e_in:
            out[m] = e
            m += 1
    return out[:m]


@kernel()
def clip_kernel(poly, axis, level, eps):
    """The part of convex polygon ``poly`` with ``x[axis] >= level``: :func:`cut_kernel`
    with normal ``-e_axis``. Vertices within ``eps`` below the line count as on it."""
    if axis == 0:
        return cut_kernel(poly, -1.0, 0.0, -level, eps)
    return cut_kernel(poly, 0.0, -1.0, -level, eps)


@kernel()
def _segment_distance(px, py, ax, ay, bx, by):
    dx = bx - ax
    dy = by - ay
    ll = dx * dx + dy * dy
    t = 0.0
    if ll > 0.0:
        t = min(max(((px - ax) * dx + (py - ay) * dy) / ll, 0.0), 1.0)
    qx = ax + t * dx - px
    qy = ay + t * dy - py
    return np.sqrt(qx * qx + qy * qy)


@kernel()
def distance_kernel(px, py, poly):
    """Euclidean distance from the point ``(px, py)`` to convex polygon ``poly``
    (0 inside; ``inf`` for the empty polygon)."""
    n = poly.shape[0]
    if n == 0:
        return np.inf
    if n == 1:
        return np.hypot(px - poly[0, 0], py - poly[0, 1])
    inside = n >= 3
    best = np.inf
    for i in range(n):
        a = poly[i]
        b = poly[(i + 1) % n]
        if _cross(a[0], a[1], b[0], b[1], px, py) < 0.0:
            inside = False
        best = min(best, _segment_distance(px, py, a[0], a[1], b[0], b[1]))
    return 0.0 if inside else best


@kernel()
def hausdorff_kernel(P, Q):
    """Hausdorff distance between convex polygons ``P`` and ``Q``. The distance to a convex
    set is a convex function, so its maximum over a polygon is attained at a vertex."""
    if P.shape[0] == 0 and Q.shape[0] == 0:
        return 0.0
    if P.shape[0] == 0 or Q.shape[0] == 0:
        return np.inf
    d = 0.0
    for i in range(P.shape[0]):
        d = max(d, distance_kernel(P[i, 0], P[i, 1], Q))
    for i in range(Q.shape[0]):
        d = max(d, distance_kernel(Q[i, 0], Q[i, 1], P))
    return d


def convex_hull(points, eps: float = 1e-12) -> np.ndarray:
    """Counter-clockwise vertices of the convex hull of ``points`` (shape ``(n, 2)``)."""
    pts = np.ascontiguousarray(np.asarray(points, dtype=float).reshape(-1, 2))
    return hull_kernel(pts, pts.shape[0], eps)


def hausdorff(P, Q) -> float:
    """Hausdorff distance between two convex polygons given by their vertices (any order is
    fine for points and segments; larger polygons must be counter-clockwise)."""
    P = np.ascontiguousarray(np.asarray(P, dtype=float).reshape(-1, 2))
    Q = np.ascontiguousarray(np.asarray(Q, dtype=float).reshape(-1, 2))
    return float(hausdorff_kernel(P, Q))


def distance(point, poly) -> float:
    """Distance from ``point`` to the convex polygon ``poly`` (0 inside, ``inf`` if empty)."""
    poly = np.ascontiguousarray(np.asarray(poly, dtype=float).reshape(-1, 2))
    x, y = np.asarray(point, dtype=float)
    return float(distance_kernel(x, y, poly))


def clip(poly, axis: int, level: float, eps: float = 0.0) -> np.ndarray:
    """Vertices of ``{x in poly : x[axis] >= level}`` (convex polygon, counter-clockwise)."""
    poly = np.ascontiguousarray(np.asarray(poly, dtype=float).reshape(-1, 2))
    cut = clip_kernel(poly, int(axis), float(level), float(eps))
    return hull_kernel(np.ascontiguousarray(cut), cut.shape[0], 1e-12)
