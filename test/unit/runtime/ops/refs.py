"""Reference values for the op tests (test/unit/runtime/ops.test.ts), computed with numpy / Python
from TensorFlow's documented semantics. Run: python3 test/unit/runtime/ops/refs.py > test/unit/runtime/ops/refs.json"""
import json, math, re
import numpy as np

rng = np.random.default_rng(15)
cases = []


def T(a, dtype=None):
    a = np.asarray(a)
    if dtype == "string" or a.dtype.kind in "SUO":
        flat = [x.decode() if isinstance(x, bytes) else str(x) for x in a.reshape(-1)]
        return {"dtype": "string", "shape": list(a.shape), "values": flat}
    dt = dtype or {"f": "float32", "i": "int32", "u": "int32", "b": "bool"}[a.dtype.kind]
    vals = a.reshape(-1).tolist()
    if dt == "float32":
        vals = [float(np.float32(v)) for v in vals]
    return {"dtype": dt, "shape": list(a.shape), "values": vals}


def case(name, op, inputs, outputs=None, attrs=None, error=None, atol=1e-5):
    c = {"name": name, "op": op, "attrs": attrs or {}, "inputs": inputs, "atol": atol}
    if error:
        c["error"] = error
    else:
        c["outputs"] = outputs
    cases.append(c)


F = {"type": 1}
I32 = {"type": 3}

# ---- resize (TensorFlow's scalers: legacy, align_corners, half_pixel_centers) ----
def scale(i, o, align):
    return (i - 1) / (o - 1) if align and o > 1 else i / o


def resize_bilinear(x, oh, ow, align, half):
    b, h, w, c = x.shape
    out = np.zeros((b, oh, ow, c), np.float64)
    sh, sw = scale(h, oh, align), scale(w, ow, align)
    def weights(o, s, n):
        res = []
        for y in range(o):
            v = (y + 0.5) * s - 0.5 if half else y * s
            lo = max(int(math.floor(v)), 0)
            hi = min(int(math.ceil(v)), n - 1)
            res.append((lo, hi, v - math.floor(v)))
        return res
    for y, (y0, y1, ly) in enumerate(weights(oh, sh, h)):
        for xx, (x0, x1, lx) in enumerate(weights(ow, sw, w)):
            top = x[:, y0, x0] + (x[:, y0, x1] - x[:, y0, x0]) * lx
            bot = x[:, y1, x0] + (x[:, y1, x1] - x[:, y1, x0]) * lx
            out[:, y, xx] = top + (bot - top) * ly
    return out


def resize_nearest(x, oh, ow, align, half):
    b, h, w, c = x.shape
    sh, sw = scale(h, oh, align), scale(w, ow, align)
    def idx(o, s, n):
        res = []
        for y in range(o):
            v = (y + 0.5) * s if half else y * s
            k = min(int(math.floor(v + 0.5)) if align else int(math.floor(v)), n - 1)  # roundf: half away from zero
            res.append(max(k, 0) if half else k)
        return res
    return x[:, idx(oh, sh, h)][:, :, idx(ow, sw, w)]


img = rng.normal(size=(1, 3, 4, 2)).astype(np.float32)
for (oh, ow) in [(5, 7), (2, 3), (3, 4)]:
    for align, half in [(False, False), (True, False), (False, True)]:
        attrs = {"align_corners": {"b": align}, "half_pixel_centers": {"b": half}, "T": F}
        size = T(np.array([oh, ow], np.int32))
        case(f"ResizeBilinear {oh}x{ow} align={align} half={half}", "ResizeBilinear", [T(img), size],
             [T(resize_bilinear(img.astype(np.float64), oh, ow, align, half).astype(np.float32))], attrs)
        case(f"ResizeNearestNeighbor {oh}x{ow} align={align} half={half}", "ResizeNearestNeighbor", [T(img), size],
             [T(resize_nearest(img, oh, ow, align, half))], attrs)
imgu8 = rng.integers(0, 255, size=(1, 2, 2, 1)).astype(np.int32)
case("ResizeBilinear int input gives float32", "ResizeBilinear", [T(imgu8), T(np.array([3, 3], np.int32))],
     [T(resize_bilinear(imgu8.astype(np.float64), 3, 3, False, True).astype(np.float32))],
     {"half_pixel_centers": {"b": True}, "T": I32})
case("ResizeBilinear align_corners with half_pixel_centers", "ResizeBilinear", [T(img), T(np.array([3, 3], np.int32))], error="half_pixel_centers is True, align_corners must be False",
     attrs={"align_corners": {"b": True}, "half_pixel_centers": {"b": True}, "T": F})

# ---- depth <-> space ----
x = np.arange(2 * 2 * 4 * 8, dtype=np.float32).reshape(2, 2, 4, 8)
def d2s(x, b):
    n, h, w, c = x.shape
    return x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5).reshape(n, h * b, w * b, c // (b * b))
def s2d(x, b):
    n, h, w, c = x.shape
    return x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, h // b, w // b, b * b * c)
case("DepthToSpace b=2", "DepthToSpace", [T(x)], [T(d2s(x, 2))], {"block_size": {"i": 2}, "T": F})
case("SpaceToDepth b=2", "SpaceToDepth", [T(x)], [T(s2d(x, 2))], {"block_size": {"i": 2}, "T": F})
case("SpaceToDepth odd size", "SpaceToDepth", [T(x[:, :, :3])], error="should be divisible by block_size", attrs={"block_size": {"i": 2}, "T": F})
case("DepthToSpace int32", "DepthToSpace", [T(x.astype(np.int32))], [T(d2s(x.astype(np.int32), 2))], {"block_size": {"i": 2}, "T": I32})

# ---- space <-> batch (TensorFlow's documented algorithm) ----
def s2b(x, block, pads):
    m = len(block)
    p = np.pad(x, [(0, 0)] + [tuple(q) for q in pads] + [(0, 0)] * (x.ndim - 1 - m))
    b = p.shape[0]
    sh = [b] + sum([[p.shape[1 + i] // block[i], block[i]] for i in range(m)], []) + list(p.shape[1 + m:])
    r = p.reshape(sh)
    perm = [2 * i + 2 for i in range(m)] + [0] + [2 * i + 1 for i in range(m)] + list(range(1 + 2 * m, r.ndim))
    r = r.transpose(perm)
    return r.reshape([b * int(np.prod(block))] + [p.shape[1 + i] // block[i] for i in range(m)] + list(p.shape[1 + m:]))
def b2s(x, block, crops):
    m = len(block)
    b = x.shape[0] // int(np.prod(block))
    r = x.reshape(list(block) + [b] + list(x.shape[1:]))
    perm = [m] + sum([[m + 1 + i, i] for i in range(m)], []) + list(range(2 * m + 1, r.ndim))
    r = r.transpose(perm)
    r = r.reshape([b] + [x.shape[1 + i] * block[i] for i in range(m)] + list(x.shape[1 + m:]))
    sl = [slice(None)] + [slice(crops[i][0], r.shape[1 + i] - crops[i][1]) for i in range(m)]
    return r[tuple(sl)]
xs = np.arange(2 * 4 * 6 * 3, dtype=np.float32).reshape(2, 4, 6, 3)
block = np.array([2, 3], np.int32); pads = np.array([[0, 2], [1, 2]], np.int32)
sb = s2b(xs, [2, 3], [[0, 2], [1, 2]])
case("SpaceToBatchND", "SpaceToBatchND", [T(xs), T(block), T(pads)], [T(sb)], {"T": F})
crops = np.array([[0, 2], [1, 2]], np.int32)
case("BatchToSpaceND (inverse)", "BatchToSpaceND", [T(sb), T(block), T(crops)], [T(b2s(sb, [2, 3], [[0, 2], [1, 2]]))], {"T": F})
case("SpaceToBatchND not divisible", "SpaceToBatchND", [T(xs), T(block), T(np.array([[0, 1], [0, 0]], np.int32))], error="is not divisible by block_shape", attrs={"T": F})

# ---- Conv2DBackpropInput: the gradient of a conv w.r.t. its input ----
def conv_out(n, k, s, pad):
    return -(-n // s) if pad == "SAME" else (n - k) // s + 1
def backprop_input(sizes, w, dy, s, pad):
    n, h, wd, c = sizes
    kh, kw, _, co = w.shape
    oh, ow = dy.shape[1], dy.shape[2]
    pt = max((oh - 1) * s[0] + kh - h, 0) // 2 if pad == "SAME" else 0
    pl = max((ow - 1) * s[1] + kw - wd, 0) // 2 if pad == "SAME" else 0
    dx = np.zeros(sizes, np.float64)
    for b in range(n):
        for y in range(oh):
            for xx in range(ow):
                for i in range(kh):
                    for j in range(kw):
                        iy, ix = y * s[0] + i - pt, xx * s[1] + j - pl
                        if 0 <= iy < h and 0 <= ix < wd:
                            dx[b, iy, ix] += w[i, j] @ dy[b, y, xx]
    return dx
for pad, s, hw in [("SAME", (2, 2), (5, 6)), ("VALID", (1, 1), (4, 4)), ("VALID", (2, 2), (6, 5))]:
    w = rng.normal(size=(3, 3, 2, 4)).astype(np.float32)
    sizes = [1, hw[0], hw[1], 2]
    dy = rng.normal(size=(1, conv_out(hw[0], 3, s[0], pad), conv_out(hw[1], 3, s[1], pad), 4)).astype(np.float32)
    case(f"Conv2DBackpropInput {pad} stride {s} {hw}", "Conv2DBackpropInput", [T(np.array(sizes, np.int32)), T(w), T(dy)],
         [T(backprop_input(sizes, w.astype(np.float64), dy.astype(np.float64), s, pad).astype(np.float32))],
         {"strides": {"list_i": [1, s[0], s[1], 1]}, "padding": {"s": pad}, "T": F}, atol=1e-4)
case("Conv2DBackpropInput wrong out_backprop size", "Conv2DBackpropInput",
     [T(np.array([1, 4, 4, 2], np.int32)), T(np.zeros((3, 3, 2, 4), np.float32)), T(np.zeros((1, 3, 3, 4), np.float32))],
     error="Size of out_backprop doesn't match computed", attrs={"strides": {"list_i": [1, 1, 1, 1]}, "padding": {"s": "VALID"}, "T": F})

# ---- Conv3D / pools 3-D ----
def conv3d(x, w):
    n, d, h, wd, c = x.shape
    kd, kh, kw, _, co = w.shape
    out = np.zeros((n, d - kd + 1, h - kh + 1, wd - kw + 1, co))
    for a in range(out.shape[1]):
        for b in range(out.shape[2]):
            for e in range(out.shape[3]):
                out[:, a, b, e] = np.einsum("nijkc,ijkco->no", x[:, a:a + kd, b:b + kh, e:e + kw], w)
    return out
x3 = rng.normal(size=(1, 4, 4, 3, 2)).astype(np.float32)
w3 = rng.normal(size=(2, 2, 2, 2, 3)).astype(np.float32)
case("Conv3D VALID", "Conv3D", [T(x3), T(w3)], [T(conv3d(x3.astype(np.float64), w3.astype(np.float64)).astype(np.float32))],
     {"strides": {"list_i": [1, 1, 1, 1, 1]}, "padding": {"s": "VALID"}, "T": F}, atol=1e-4)
def pool3d(x, k, f):
    n, d, h, w, c = x.shape
    out = np.zeros((n, d // k, h // k, w // k, c))
    for a in range(d // k):
        for b in range(h // k):
            for e in range(w // k):
                out[:, a, b, e] = f(x[:, a * k:a * k + k, b * k:b * k + k, e * k:e * k + k].reshape(n, -1, c), axis=1)
    return out
xp = rng.normal(size=(1, 4, 4, 4, 2)).astype(np.float32)
pattrs = {"ksize": {"list_i": [1, 2, 2, 2, 1]}, "strides": {"list_i": [1, 2, 2, 2, 1]}, "padding": {"s": "VALID"}, "T": F}
case("MaxPool3D", "MaxPool3D", [T(xp)], [T(pool3d(xp, 2, np.max))], pattrs)
case("AvgPool3D", "AvgPool3D", [T(xp)], [T(pool3d(xp.astype(np.float64), 2, np.mean).astype(np.float32))], pattrs)

# ---- MirrorPad ----
xm = np.arange(12, dtype=np.float32).reshape(3, 4)
pm = np.array([[1, 2], [2, 1]], np.int32)
case("MirrorPad REFLECT", "MirrorPad", [T(xm), T(pm)], [T(np.pad(xm, pm, mode="reflect"))], {"mode": {"s": "REFLECT"}, "T": F})
case("MirrorPad SYMMETRIC", "MirrorPad", [T(xm), T(np.array([[3, 0], [4, 4]], np.int32))],
     [T(np.pad(xm, [[3, 0], [4, 4]], mode="symmetric"))], {"mode": {"s": "SYMMETRIC"}, "T": F})
case("MirrorPad REFLECT too wide", "MirrorPad", [T(xm), T(np.array([[3, 0], [0, 0]], np.int32))], error="paddings must be no greater than the dimension size", attrs={"mode": {"s": "REFLECT"}, "T": F})

# ---- ordering ----
xt = np.array([[1, 3, 3, 2, 5], [0, -1, 7, 7, 7]], np.float32)
def topk(x, k):
    idx = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, idx, -1), idx.astype(np.int32)
v, i = topk(xt, 3)
case("TopKV2 with ties (lower index first)", "TopKV2", [T(xt), T(np.array(3, np.int32))], [T(v), T(i)], {"sorted": {"b": True}, "T": F})
case("TopKV2 k too large", "TopKV2", [T(xt), T(np.array(6, np.int32))], error="input must have at least k columns", attrs={"T": F})
preds = np.array([[0.1, 0.5, 0.5, 0.2], [0.9, 0.1, 0.0, 0.3]], np.float32)
targets = np.array([2, 3], np.int32)
def in_top_k(p, t, k):
    return np.array([np.sum(p[r] > p[r, t[r]]) < k for r in range(len(t))])
case("InTopKV2 (ties count as in)", "InTopKV2", [T(preds), T(targets), T(np.array(1, np.int32))], [T(in_top_k(preds, targets, 1))], {"T": I32})
xr = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
case("ReverseV2 axes [0, -1]", "ReverseV2", [T(xr), T(np.array([0, -1], np.int32))], [T(np.flip(xr, (0, 2)))], {"T": F, "Tidx": I32})
def cum(x, axis, excl, rev, f, init):
    y = np.flip(x, axis) if rev else x
    c = f(y, axis=axis)
    if excl:
        c = np.concatenate([np.full_like(np.take(c, [0], axis), init), np.delete(c, -1, axis)], axis)
    return np.flip(c, axis) if rev else c
xc = (rng.integers(1, 4, size=(3, 4))).astype(np.float32)
for excl in [False, True]:
    for rev in [False, True]:
        a = {"exclusive": {"b": excl}, "reverse": {"b": rev}, "T": F}
        case(f"Cumsum excl={excl} rev={rev}", "Cumsum", [T(xc), T(np.array(1, np.int32))], [T(cum(xc, 1, excl, rev, np.cumsum, 0))], a)
        case(f"Cumprod excl={excl} rev={rev}", "Cumprod", [T(xc), T(np.array(0, np.int32))], [T(cum(xc, 0, excl, rev, np.cumprod, 1))], a)

# ---- segment reductions ----
data = rng.integers(-5, 6, size=(6, 3)).astype(np.float32)
ids = np.array([0, 2, 0, -1, 2, 4], np.int32)
def unsorted(data, ids, n, f, init):
    out = np.full((n,) + data.shape[1:], init, np.float64)
    for r, s in enumerate(ids):
        if s >= 0:
            out[s] = f(out[s], data[r])
    return out
FMAX = float(np.finfo(np.float32).max)
for op, f, init in [("Sum", np.add, 0), ("Prod", np.multiply, 1), ("Max", np.maximum, -FMAX), ("Min", np.minimum, FMAX)]:
    case(f"UnsortedSegment{op} (negative ids dropped, empty segments)", f"UnsortedSegment{op}", [T(data), T(ids), T(np.array(5, np.int32))],
         [T(unsorted(data, ids, 5, f, init).astype(np.float32))], {"T": F, "Tindices": I32})
di = data.astype(np.int32)
case("UnsortedSegmentSum int32, 2-D ids", "UnsortedSegmentSum", [T(di.reshape(2, 9)), T(np.array([[0, 1, 1, 0, 2, 2, 1, 1, 0], [2, 2, 0, 1, 1, 1, 0, 0, 0]], np.int32)), T(np.array(3, np.int32))],
     [T(unsorted(di.reshape(-1, 1), np.array([0, 1, 1, 0, 2, 2, 1, 1, 0, 2, 2, 0, 1, 1, 1, 0, 0, 0]), 3, np.add, 0).reshape(3).astype(np.int32))], {"T": I32, "Tindices": I32})
sids = np.array([0, 0, 1, 3, 3, 3], np.int32)
def sorted_seg(data, ids, f):
    n = ids[-1] + 1
    out = np.zeros((n,) + data.shape[1:])
    for s in range(n):
        rows = data[ids == s]
        if len(rows):
            out[s] = f(rows, axis=0)
    return out
for op, f in [("Sum", np.sum), ("Mean", np.mean), ("Max", np.max), ("Min", np.min), ("Prod", np.prod)]:
    case(f"Segment{op} (empty segment is 0)", f"Segment{op}", [T(data), T(sids)], [T(sorted_seg(data.astype(np.float64), sids, f).astype(np.float32))], {"T": F, "Tindices": I32})
case("SegmentSum unsorted ids", "SegmentSum", [T(data), T(np.array([0, 1, 0, 2, 2, 2], np.int32))], error="segment ids are not increasing", attrs={"T": F})
arr = np.array([1, 1, 3, 0, 7, -1, 3, 3], np.int32)
w = rng.normal(size=8).astype(np.float32)
def bincount(arr, size, w=None):
    out = np.zeros(size)
    for k, v in enumerate(arr):
        if 0 <= v < size:
            out[v] += 1 if w is None else w[k]
    return out
case("Bincount counts (out of range ignored)", "Bincount", [T(arr), T(np.array(5, np.int32)), T(np.zeros(0, np.int32))], [T(bincount(arr, 5).astype(np.int32))], {"T": I32})
case("Bincount weights", "Bincount", [T(arr), T(np.array(4, np.int32)), T(w)], [T(bincount(arr, 4, w).astype(np.float32))], {"T": F})

# ---- OneHot, ClipByValue, Bucketize, BroadcastArgs, Einsum ----
ind = np.array([[0, 2], [-1, 5]], np.int32)
def one_hot(ind, depth, on, off, axis):
    out = np.where(ind[..., None] == np.arange(depth), on, off)
    return np.moveaxis(out, -1, axis) if axis != -1 else out
for axis in [-1, 0, 1]:
    case(f"OneHot axis {axis}", "OneHot", [T(ind), T(np.array(3, np.int32)), T(np.array(5.0, np.float32)), T(np.array(-1.0, np.float32))],
         [T(one_hot(ind, 3, 5.0, -1.0, axis).astype(np.float32))], {"axis": {"i": axis}, "T": F, "TI": I32})
case("OneHot int32 values", "OneHot", [T(ind), T(np.array(4, np.int32)), T(np.array(7, np.int32)), T(np.array(0, np.int32))],
     [T(one_hot(ind, 4, 7, 0, -1).astype(np.int32))], {"axis": {"i": -1}, "T": I32, "TI": I32})
xv = rng.normal(size=(2, 5)).astype(np.float32)
lo = np.full((2, 5), -0.5, np.float32); lo[0, 0] = 0.2
case("ClipByValue scalar bounds", "ClipByValue", [T(xv), T(np.array(-0.3, np.float32)), T(np.array(0.4, np.float32))], [T(np.clip(xv, -0.3, 0.4))], {"T": F})
case("ClipByValue tensor bounds", "ClipByValue", [T(xv), T(lo), T(np.array(0.4, np.float32))], [T(np.minimum(np.maximum(xv, lo), 0.4))], {"T": F})
bounds = [-1.0, 0.0, 0.5, 0.5, 2.0]
xb = np.array([[-3, -1, 0], [0.25, 0.5, 10]], np.float32)
case("Bucketize (value on a boundary goes right)", "Bucketize", [T(xb)], [T(np.digitize(xb, bounds, right=False).astype(np.int32))], {"boundaries": {"list_f": bounds}, "T": F})
# BoostedTreesBucketize: first boundary >= value (searchsorted left), clamped to the last bucket; 0 without boundaries.
def bt_bucketize(v, b):
    return np.minimum(np.searchsorted(np.asarray(b, np.float32), v, side="left"), max(len(b) - 1, 0)).astype(np.int32)

bv0 = np.array([-2.0, 0.0, 0.1, 0.5, 0.9, 7.0], np.float32); bb0 = np.array([0.0, 0.5, 1.0], np.float32)
bv1 = np.array([3.0, -1.0, 2.0, 2.5, 4.0, 1.0], np.float32); bb1 = np.array([1.0, 2.0, 3.0], np.float32)
case("BoostedTreesBucketize two features", "BoostedTreesBucketize", [T(bv0), T(bv1), T(bb0), T(bb1)], [T(bt_bucketize(bv0, bb0)), T(bt_bucketize(bv1, bb1))], {"num_features": {"i": 2}})
case("BoostedTreesBucketize no boundaries", "BoostedTreesBucketize", [T(bv0), T(np.zeros((0,), np.float32))], [T(np.zeros(6, np.int32))], {"num_features": {"i": 1}})
case("BoostedTreesBucketize boundaries not a vector", "BoostedTreesBucketize", [T(bv0), T(np.zeros((2, 2), np.float32))], error="Buckets should be flat vectors", attrs={"num_features": {"i": 1}})
case("BroadcastArgs", "BroadcastArgs", [T(np.array([2, 1, 3], np.int32)), T(np.array([4, 1], np.int32))], [T(np.array(np.broadcast_shapes((2, 1, 3), (4, 1)), np.int32))], {"T": I32})
case("BroadcastArgs incompatible", "BroadcastArgs", [T(np.array([2, 3], np.int32)), T(np.array([4], np.int32))], error="Incompatible shapes", attrs={"T": I32})
ea = rng.normal(size=(2, 3, 4)).astype(np.float32); eb = rng.normal(size=(2, 4, 5)).astype(np.float32)
case("Einsum bij,bjk->bik", "Einsum", [T(ea), T(eb)], [T(np.einsum("bij,bjk->bik", ea, eb))], {"equation": {"s": "bij,bjk->bik"}, "N": {"i": 2}, "T": F}, atol=1e-4)
case("Einsum ij->ji", "Einsum", [T(ea[0])], [T(np.einsum("ij->ji", ea[0]))], {"equation": {"s": "ij->ji"}, "N": {"i": 1}, "T": F})
case("Einsum i,i->", "Einsum", [T(ea[0, 0]), T(ea[1, 0])], [T(np.einsum("i,i->", ea[0, 0], ea[1, 0]))], {"equation": {"s": "i,i->"}, "N": {"i": 2}, "T": F}, atol=1e-4)
sq = rng.normal(size=(3, 3)).astype(np.float32)
case("Einsum ii->i (diagonal)", "Einsum", [T(sq)], [T(np.einsum("ii->i", sq))], {"equation": {"s": "ii->i"}, "N": {"i": 1}, "T": F})
q = rng.normal(size=(1, 2, 3, 4)).astype(np.float32); k = rng.normal(size=(1, 2, 5, 4)).astype(np.float32)
case("Einsum attention bhqd,bhkd->bhqk", "Einsum", [T(q), T(k)], [T(np.einsum("bhqd,bhkd->bhqk", q, k))], {"equation": {"s": "bhqd,bhkd->bhqk"}, "N": {"i": 2}, "T": F}, atol=1e-4)

# ---- strings ----
words = np.array(["Hello World", "  ÄBC xyz\t", "", "a,b,,c"], object)
case("StringLower (ASCII only by default)", "StringLower", [T(words, "string")], [T(np.array([s.encode().lower().decode() for s in words], object), "string")], {"encoding": {"s": ""}})
case("StringUpper utf-8", "StringUpper", [T(words, "string")], [T(np.array([s.upper() for s in words], object), "string")], {"encoding": {"s": "utf-8"}})
case("StringStrip", "StringStrip", [T(words, "string")], [T(np.array([s.strip(" \t\n\v\f\r") for s in words], object), "string")])
def split(strings, sep, maxsplit):
    idx, vals, width = [], [], 0
    for r, s in enumerate(strings):
        parts = s.split(sep or None, maxsplit) if maxsplit >= 0 else s.split(sep or None)
        width = max(width, len(parts))
        for j, p in enumerate(parts):
            idx.append([r, j]); vals.append(p)
    return [T(np.array(idx, np.int32).reshape(-1, 2)), T(np.array(vals, object), "string"), T(np.array([len(strings), width], np.int32))]
case("StringSplitV2 on whitespace", "StringSplitV2", [T(words, "string"), T(np.array("", object), "string")], split(list(words), "", -1), {"maxsplit": {"i": -1}})
case("StringSplitV2 on ',' maxsplit 2", "StringSplitV2", [T(words, "string"), T(np.array(",", object), "string")], split(list(words), ",", 2), {"maxsplit": {"i": 2}})
grid = np.array([["a", "b", "c"], ["d", "e", "f"]], object)
case("ReduceJoin axis 1", "ReduceJoin", [T(grid, "string"), T(np.array([1], np.int32))], [T(np.array(["-".join(r) for r in grid], object), "string")], {"keep_dims": {"b": False}, "separator": {"s": "-"}})
case("ReduceJoin axis 0 keep_dims", "ReduceJoin", [T(grid, "string"), T(np.array([0], np.int32))], [T(np.array([["".join(c) for c in grid.T]], object), "string")], {"keep_dims": {"b": True}, "separator": {"s": ""}})
sub = np.array(["hello", "wörld", "ab"], object)
def substr(s, pos, n, unit):
    b = s.encode() if unit == "BYTE" else s
    if pos < 0:
        pos += len(b)
    r = b[pos:pos + n]
    return r.decode(errors="replace") if unit == "BYTE" else r
case("Substr UTF8_CHAR with negative pos", "Substr", [T(np.array(["hello", "wörld"], object), "string"), T(np.array(-4, np.int32)), T(np.array(2, np.int32))],
     [T(np.array([substr(s, -4, 2, "UTF8_CHAR") for s in ["hello", "wörld"]], object), "string")], {"unit": {"s": "UTF8_CHAR"}, "T": I32})
case("Substr BYTE per element", "Substr", [T(sub, "string"), T(np.array([1, 0, 2], np.int32)), T(np.array([3, 1, 5], np.int32))],
     [T(np.array([substr(s, p, n, "BYTE") for s, p, n in zip(sub, [1, 0, 2], [3, 1, 5])], object), "string")], {"unit": {"s": "BYTE"}, "T": I32})
case("Substr pos out of range", "Substr", [T(sub, "string"), T(np.array(4, np.int32)), T(np.array(1, np.int32))], error="out of range", attrs={"unit": {"s": "BYTE"}, "T": I32})
texts = np.array(["foo@x.org bar@y.com", "none here", "aaa"], object)
case("RegexReplace global with groups", "RegexReplace", [T(texts, "string"), T(np.array(r"(\w+)@(\w+)", object), "string"), T(np.array(r"<\2:\1>", object), "string")],
     [T(np.array([re.sub(r"(\w+)@(\w+)", r"<\2:\1>", s) for s in texts], object), "string")], {"replace_global": {"b": True}})
case("RegexReplace first only", "RegexReplace", [T(texts, "string"), T(np.array("a", object), "string"), T(np.array("$", object), "string")],
     [T(np.array([re.sub("a", "$", s, count=1) for s in texts], object), "string")], {"replace_global": {"b": False}})
case("StaticRegexReplace pathological pattern runs in linear time", "StaticRegexReplace", [T(np.array(["a" * 40 + "c"], object), "string")],
     [T(np.array(["a" * 40 + "c"], object), "string")], {"pattern": {"s": "(a+)+b"}, "rewrite": {"s": "x"}, "replace_global": {"b": True}})
case("RegexFullMatch", "RegexFullMatch", [T(texts, "string"), T(np.array("[a-z ]+", object), "string")], [T(np.array([bool(re.fullmatch("[a-z ]+", s)) for s in texts]))])
case("RegexReplace bad pattern", "RegexReplace", [T(texts, "string"), T(np.array("(", object), "string"), T(np.array("", object), "string")], error="Invalid pattern", attrs={})

# ---- ragged ----
def ragged_dense(rows, width, default, nrows):
    out = [[default] * width for _ in range(nrows)]
    for r, row in enumerate(rows):
        for c, v in enumerate(row[:width]):
            out[r][c] = v
    return out
rows = [[1, 2], [], [3, 4, 5], [6]]
vals = np.array(sum(rows, []), np.int32)
splits = np.array([0, 2, 2, 5, 6], np.int32)
rowids = np.array([0, 0, 2, 2, 2, 3], np.int32)
case("RaggedTensorToTensor ROW_SPLITS", "RaggedTensorToTensor", [T(np.array([-1, -1], np.int32)), T(vals), T(np.array(0, np.int32)), T(splits)],
     [T(np.array(ragged_dense(rows, 3, 0, 4), np.int32))], {"row_partition_types": {"list_s": ["ROW_SPLITS"]}, "T": I32, "num_row_partition_tensors": {"i": 1}})
case("RaggedTensorToTensor FIRST_DIM_SIZE+VALUE_ROWIDS, truncated to 2 columns, 5 rows", "RaggedTensorToTensor",
     [T(np.array([5, 2], np.int32)), T(vals), T(np.array(-1, np.int32)), T(np.array(4, np.int32)), T(rowids)],
     [T(np.array(ragged_dense(rows, 2, -1, 5), np.int32))], {"row_partition_types": {"list_s": ["FIRST_DIM_SIZE", "VALUE_ROWIDS"]}, "T": I32, "num_row_partition_tensors": {"i": 2}})
srows = [["a", "b"], ["c"]]
case("RaggedTensorToTensor strings (TextVectorization)", "RaggedTensorToTensor",
     [T(np.array(-1, np.int32)), T(np.array(["a", "b", "c"], object), "string"), T(np.array("", object), "string"), T(np.array(2, np.int32)), T(np.array([0, 0, 1], np.int32))],
     [T(np.array(ragged_dense(srows, 2, "", 2), object), "string")], {"row_partition_types": {"list_s": ["FIRST_DIM_SIZE", "VALUE_ROWIDS"]}, "T": {"type": 7}, "num_row_partition_tensors": {"i": 2}})
case("RaggedTensorToTensor bad splits", "RaggedTensorToTensor", [T(np.array([-1, -1], np.int32)), T(vals), T(np.array(0, np.int32)), T(np.array([0, 3, 2, 6], np.int32))],
     error="invalid row_splits", attrs={"row_partition_types": {"list_s": ["ROW_SPLITS"]}, "T": I32})

# ---- sets, normalization ----
sa = np.array([[[1, 2, 2, 5], [7, 8, 9, 9]], [[0, 0, 0, 0], [3, 1, 4, 1]]], np.int32)
sb = np.array([[[2, 6, 6], [9, 7, 1]], [[1, 2, 3], [4, 4, 4]]], np.int32)
def set_op(a, b, op):
    lead = a.shape[:-1]
    idx, vals, width = [], [], 0
    for coords in np.ndindex(*lead):
        x, y = set(a[coords].tolist()), set(b[coords].tolist())
        row = sorted({"a-b": x - y, "b-a": y - x, "intersection": x & y, "union": x | y}[op])
        width = max(width, len(row))
        for j, v in enumerate(row):
            idx.append(list(coords) + [j]); vals.append(v)
    return [T(np.array(idx, np.int32).reshape(-1, a.ndim)), T(np.array(vals, a.dtype)), T(np.array(list(lead) + [width], np.int32))]
for op in ["a-b", "b-a", "intersection", "union"]:
    case(f"DenseToDenseSetOperation {op}", "DenseToDenseSetOperation", [T(sa), T(sb)], set_op(sa, sb, op), {"set_operation": {"s": op}, "T": I32})
import unicodedata
uni = np.array(["Cafe\u0301", "ﬁ ①", "Å"], object)
for form in ["NFC", "NFKD"]:
    case(f"NormalizeUTF8 {form}", "NormalizeUTF8", [T(uni, "string")], [T(np.array([unicodedata.normalize(form, x) for x in uni], object), "string")], {"normalization_form": {"s": form}})

# ---- UnicodeDecode / UnicodeDecodeWithOffsets / UnicodeEncode: Python's codecs (ill-formed bytes are
# replaced one maximal subpart at a time, Unicode's recommended practice, as ICU does) ----
def Tbytes(items):
    return {"dtype": "string", "shape": [len(items)], "values": [{"hex": b.hex()} for b in items]}

def u_decode(items, enc, errors="replace", repl=0xFFFD, control=False):
    codec = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}[enc]
    splits, chars, starts = [0], [], []
    for b in items:
        i = 0
        while i < len(b):
            # Longest well-formed prefix of at most 4 bytes starting at i, else one ill-formed subpart.
            step = {"UTF-8": None, "UTF-16-BE": 2, "UTF-32-BE": 4}[enc]
            got = None
            for n in ([1, 2, 3, 4] if step is None else [step, 2 * step] if enc == "UTF-16-BE" else [step]):
                try:
                    s = b[i:i + n].decode(codec, "strict")
                    if len(s) == 1:
                        got = (ord(s), n)
                        break
                except UnicodeDecodeError:
                    pass
            if got is None:
                # Python's 'replace' handler reports exactly the maximal ill-formed subpart.
                try:
                    b[i:].decode(codec, "strict")
                    n = 1
                except UnicodeDecodeError as e:
                    n = e.end - e.start if e.start == 0 else 1
                got = (-1, n)
            code, n = got
            if code >= 0 or errors != "ignore":
                chars.append(repl if code < 0 or (control and code < 0x20) else code)
                starts.append(i)
            i += n
        splits.append(len(chars))
    return splits, chars, starts

texts = ["héllo", "", "日本語", "a\U0001F600b"]
for enc, codec in [("UTF-8", "utf-8"), ("UTF-16-BE", "utf-16-be"), ("UTF-32-BE", "utf-32-be")]:
    items = [t.encode(codec) for t in texts]
    sp, ch, st = u_decode(items, enc)
    case(f"UnicodeDecodeWithOffsets {enc}", "UnicodeDecodeWithOffsets", [Tbytes(items)], [T(np.array(sp, np.int32)), T(np.array(ch, np.int32)), T(np.array(st, np.int32))], {"input_encoding": {"s": enc}, "errors": {"s": "replace"}, "replacement_char": {"i": 65533}})
bad = [b"a\xffb", b"\xe6\x97x", b"\xf0\x9f\x98", b"\xed\xa0\x80z", b"ok\x01"]
for errors in ["replace", "ignore"]:
    sp, ch, _ = u_decode(bad, "UTF-8", errors, 0x3F, True)
    case(f"UnicodeDecode ill-formed UTF-8 errors={errors}", "UnicodeDecode", [Tbytes(bad)], [T(np.array(sp, np.int32)), T(np.array(ch, np.int32))], {"input_encoding": {"s": "UTF-8"}, "errors": {"s": errors}, "replacement_char": {"i": 0x3F}, "replace_control_characters": {"b": True}})
case("UnicodeDecode strict refuses ill-formed UTF-8", "UnicodeDecode", [Tbytes(bad[:1])], error="Invalid formatting", attrs={"input_encoding": {"s": "UTF-8"}, "errors": {"s": "strict"}})
codes = [104, 233, 0x65E5, 0x1F600, 0xD800, 0x110000, 97]
splits = [0, 2, 4, 7]
for enc, codec in [("UTF-8", "utf-8"), ("UTF-16-BE", "utf-16-be"), ("UTF-32-BE", "utf-32-be")]:
    def enc_row(row, errors):
        out = []
        for c in row:
            if 0 <= c <= 0x10FFFF and not (0xD800 <= c <= 0xDFFF):
                out.append(chr(c))
            elif errors == "replace":
                out.append("\uFFFD")
        return "".join(out).encode(codec)
    for errors in ["replace", "ignore"]:
        rows = [enc_row(codes[a:b], errors) for a, b in zip(splits, splits[1:])]
        case(f"UnicodeEncode {enc} errors={errors}", "UnicodeEncode", [T(np.array(codes, np.int32)), T(np.array(splits, np.int32))], [Tbytes(rows)], {"output_encoding": {"s": enc}, "errors": {"s": errors}, "replacement_char": {"i": 65533}, "Tsplits": I32})
case("UnicodeEncode strict refuses a surrogate", "UnicodeEncode", [T(np.array([0xD800], np.int32)), T(np.array([0, 1], np.int32))], error="out of range", attrs={"output_encoding": {"s": "UTF-8"}, "errors": {"s": "strict"}, "Tsplits": I32})

# ---- StringFormat: the examples of tf.strings.format's documentation, and floats / strings / bools ----
fmt = lambda tmpl, summarize=3: {"template": {"s": tmpl}, "placeholder": {"s": "{}"}, "summarize": {"i": summarize}}
out = lambda s: [T(np.array(s, object), "string")]
case("StringFormat docs: tensor: {}, suffix", "StringFormat", [T(np.arange(5, dtype=np.int32))], out("tensor: [0 1 2 3 4], suffix"), fmt("tensor: {}, suffix"))
case("StringFormat docs: two tensors", "StringFormat", [T(np.arange(2, dtype=np.int32)), T(np.arange(1, 4, 2, dtype=np.int32))], out("a: [0 1], b: [1 3], suffix"), fmt("a: {}, b: {}, suffix"))
case("StringFormat docs: summarize=3 of 100", "StringFormat", [T(np.arange(100, dtype=np.int32))], out("[0 1 2 ... 97 98 99]"), fmt("{}"))
case("StringFormat docs: 10x10", "StringFormat", [T(np.arange(100, dtype=np.int32).reshape(10, 10))], out("[[0 1 2 ... 7 8 9]\n [10 11 12 ... 17 18 19]\n [20 21 22 ... 27 28 29]\n ...\n [70 71 72 ... 77 78 79]\n [80 81 82 ... 87 88 89]\n [90 91 92 ... 97 98 99]]"), fmt("{}"))
def g(x):
    # printf %g at 6 significant digits, 9 when 6 does not read back as the same float32.
    s = "%.6g" % x
    return s if np.float32(float(s)) == np.float32(x) else "%.9g" % x
fx = np.array([[0.1, 1.0 / 3, -2.5e-7], [1e6, 123456789.0, 0.0]], np.float32)
rows = ["[" + " ".join(g(v) for v in r) + "]" for r in fx]
case("StringFormat floats, summarize -1", "StringFormat", [T(fx)], out("x=[" + "\n ".join(rows) + "]"), fmt("x={}", -1))
case("StringFormat scalar string quoted and escaped, bools as 1/0", "StringFormat", [T(np.array('say "hi"\n', object), "string"), T(np.array([True, False]))], out('s="say \\"hi\\"\\n" b=[1 0]'), fmt("s={} b={}"))
case("StringFormat placeholder count mismatch", "StringFormat", [T(np.arange(2, dtype=np.int32))], error="num placeholders in template and num inputs must match", attrs=fmt("{} {}"))

# ---- RaggedRange (tf.ragged.range) and RaggedGather of rows ----
def ragged_range(starts, limits, deltas):
    n = max(np.size(starts), np.size(limits), np.size(deltas))
    b = [np.broadcast_to(np.asarray(a), (n,)) for a in (starts, limits, deltas)]
    rows = [np.arange(s, l, d) for s, l, d in zip(*b)]
    return [T(np.cumsum([0] + [len(r) for r in rows]).astype(np.int32)), T(np.concatenate(rows).astype(np.asarray(starts).dtype))]
rs, rl, rd = np.array([0, 5, 8, 5], np.int32), np.array([8, 7, 8, 1], np.int32), np.array([2, 1, 1, -2], np.int32)
case("RaggedRange int vectors (empty and negative-delta rows)", "RaggedRange", [T(rs), T(rl), T(rd)], ragged_range(rs, rl, rd), {"T": I32, "Tsplits": I32})
fs, fl, fd = np.array(0.5, np.float32), np.array([2.0, 3.25], np.float32), np.array(0.75, np.float32)
case("RaggedRange float with scalars broadcast", "RaggedRange", [T(fs), T(fl), T(fd)], ragged_range(fs, fl, fd), {"T": F, "Tsplits": I32})
case("RaggedRange delta 0", "RaggedRange", [T(np.array(0, np.int32)), T(np.array(3, np.int32)), T(np.array(0, np.int32))], error="Requires delta != 0", attrs={"T": I32, "Tsplits": I32})
gsplits = np.array([0, 2, 2, 5], np.int32); gvals = np.array([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]], np.float32); gidx = np.array([2, 0, 1, 2], np.int32)
grows = [gvals[gsplits[r]:gsplits[r + 1]] for r in gidx]
gattrs = {"Tvalues": F, "Tindices": I32, "Tsplits": I32, "PARAMS_RAGGED_RANK": {"i": 1}, "OUTPUT_RAGGED_RANK": {"i": 1}}
case("RaggedGather rows", "RaggedGather", [T(gsplits), T(gvals), T(gidx)], [T(np.cumsum([0] + [len(r) for r in grows]).astype(np.int32)), T(np.concatenate(grows))], gattrs)
case("RaggedGather index out of range", "RaggedGather", [T(gsplits), T(gvals), T(np.array([3], np.int32))], error="is not in [0, 3)", attrs=gattrs)

# ---- ListDiff (tf.setdiff1d): values of x not in y, in x's order, and their indices ----
def setdiff(x, y):
    keep = [i for i, v in enumerate(x) if v not in set(y)]
    return [x[i] for i in keep], keep

for name, x, y in [("ints", [1, 2, 3, 4, 5, 6, 2], [1, 3, 5]), ("none left", [4, 4], [4]), ("empty y", [7, 8], [])]:
    vals, keep = setdiff(x, y)
    case(f"ListDiff {name}", "ListDiff", [T(np.array(x, np.int32)), T(np.array(y, np.int32))], [T(np.array(vals, np.int32)), T(np.array(keep, np.int32))], {"T": I32, "out_idx": I32})
sx, sy = ["a", "b", "c", "b"], ["b"]
vals, keep = setdiff(sx, sy)
case("ListDiff strings", "ListDiff", [T(np.array(sx, object), "string"), T(np.array(sy, object), "string")], [T(np.array(vals, object), "string"), T(np.array(keep, np.int32))], {"T": {"type": 7}, "out_idx": I32})
case("ListDiff x not a vector", "ListDiff", [T(np.zeros((2, 2), np.int32)), T(np.array([1], np.int32))], error="x should be a 1D vector", attrs={"T": I32, "out_idx": I32})

print(json.dumps({"generator": "test/unit/runtime/ops/refs.py", "cases": cases}, indent=None))
