// SIMD float32 kernels of the embedded engine's fast path (see src/runtime/wasm/README.md).
// AssemblyScript, compiled by scripts/gen-wasm.mjs into src/runtime/wasm/gen/ (wasm32 + SIMD +
// shared memory). Every function works on addresses in the imported memory and on a range of its
// rows, so the caller can split one call across threads; none allocates.
//
// Layouts: activations are NHWC (row-major [pixels x channels]); a packed matrix B ([K x N]) is
// stored in panels of 8 columns, panel p = K rows of 8 floats at bp + p*K*32 (zero-padded).

const ACT_NONE = 0;
const ACT_RELU = 1;
const ACT_RELU6 = 2;

@inline function activate(v: v128, act: i32): v128 {
  if (act == ACT_RELU) return f32x4.max(v, f32x4.splat(0));
  if (act == ACT_RELU6) return f32x4.min(f32x4.max(v, f32x4.splat(0)), f32x4.splat(6));
  return v;
}

@inline function epilogue(acc: v128, bias: usize, scale: usize, shift: usize, col: i32, act: i32): v128 {
  let v = acc;
  const off = <usize>col << 2;
  if (bias) v = f32x4.add(v, v128.load(bias + off));
  v = activate(v, act);
  if (scale) v = f32x4.add(f32x4.mul(v, v128.load(scale + off)), v128.load(shift + off));
  return v;
}

@inline function put(row: usize, v: v128, col: i32, n: i32): void {
  const at = row + (<usize>col << 2);
  if (col + 4 <= n) {
    v128.store(at, v);
    return;
  }
  const rem = n - col;
  if (rem > 0) store<f32>(at, f32x4.extract_lane(v, 0));
  if (rem > 1) store<f32>(at, f32x4.extract_lane(v, 1), 4);
  if (rem > 2) store<f32>(at, f32x4.extract_lane(v, 2), 8);
}

/** Epilogue and store of a 4 x 8 tile at row c0, column col (bias and post vectors loaded once). */
@inline function finish4(
  x0: v128, y0: v128, x1: v128, y1: v128, x2: v128, y2: v128, x3: v128, y3: v128,
  c0: usize, ldcB: usize, col: i32, n: i32, bias: usize, act: i32, scale: usize, shift: usize,
): void {
  const off = <usize>col << 2;
  const bx = bias ? v128.load(bias + off) : f32x4.splat(0);
  const by = bias ? v128.load(bias + off, 16) : f32x4.splat(0);
  x0 = activate(f32x4.add(x0, bx), act);
  y0 = activate(f32x4.add(y0, by), act);
  x1 = activate(f32x4.add(x1, bx), act);
  y1 = activate(f32x4.add(y1, by), act);
  x2 = activate(f32x4.add(x2, bx), act);
  y2 = activate(f32x4.add(y2, by), act);
  x3 = activate(f32x4.add(x3, bx), act);
  y3 = activate(f32x4.add(y3, by), act);
  if (scale) {
    const sx = v128.load(scale + off);
    const sy = v128.load(scale + off, 16);
    const tx = v128.load(shift + off);
    const ty = v128.load(shift + off, 16);
    x0 = f32x4.add(f32x4.mul(x0, sx), tx);
    y0 = f32x4.add(f32x4.mul(y0, sy), ty);
    x1 = f32x4.add(f32x4.mul(x1, sx), tx);
    y1 = f32x4.add(f32x4.mul(y1, sy), ty);
    x2 = f32x4.add(f32x4.mul(x2, sx), tx);
    y2 = f32x4.add(f32x4.mul(y2, sy), ty);
    x3 = f32x4.add(f32x4.mul(x3, sx), tx);
    y3 = f32x4.add(f32x4.mul(y3, sy), ty);
  }
  if (col + 8 <= n) {
    v128.store(c0 + off, x0);
    v128.store(c0 + off, y0, 16);
    v128.store(c0 + ldcB + off, x1);
    v128.store(c0 + ldcB + off, y1, 16);
    v128.store(c0 + 2 * ldcB + off, x2);
    v128.store(c0 + 2 * ldcB + off, y2, 16);
    v128.store(c0 + 3 * ldcB + off, x3);
    v128.store(c0 + 3 * ldcB + off, y3, 16);
  } else {
    put(c0, x0, col, n);
    put(c0, y0, col + 4, n);
    put(c0 + ldcB, x1, col, n);
    put(c0 + ldcB, y1, col + 4, n);
    put(c0 + 2 * ldcB, x2, col, n);
    put(c0 + 2 * ldcB, y2, col + 4, n);
    put(c0 + 3 * ldcB, x3, col, n);
    put(c0 + 3 * ldcB, y3, col + 4, n);
  }
}

/**
 * C[m, :] = post(act(A[m, :] . B + bias)) for rows [m0, m1) and panels [p0, p1).
 * bias / scale / shift: 0 or per-column vectors padded to a multiple of 8 (post = x * scale + shift).
 */
export function gemm(
  a: usize, lda: i32, bp: usize, c: usize, ldc: i32,
  m0: i32, m1: i32, p0: i32, p1: i32, n: i32, k: i32,
  bias: usize, act: i32, scale: usize, shift: usize,
): void {
  const ldaB = <usize>lda << 2;
  const ldcB = <usize>ldc << 2;
  const panelB = <usize>k << 5;
  let m = m0;
  for (; m + 4 <= m1; m += 4) {
    const a0 = a + <usize>m * ldaB;
    const c0 = c + <usize>m * ldcB;
    for (let p = p0; p < p1; p++) {
      let b = bp + <usize>p * panelB;
      let x0 = f32x4.splat(0), y0 = f32x4.splat(0);
      let x1 = f32x4.splat(0), y1 = f32x4.splat(0);
      let x2 = f32x4.splat(0), y2 = f32x4.splat(0);
      let x3 = f32x4.splat(0), y3 = f32x4.splat(0);
      let ap = a0;
      const end = a0 + (<usize>k << 2);
      while (ap < end) {
        const b0 = v128.load(b);
        const b1 = v128.load(b, 16);
        let s = v128.load32_splat(ap);
        x0 = f32x4.add(x0, f32x4.mul(s, b0));
        y0 = f32x4.add(y0, f32x4.mul(s, b1));
        s = v128.load32_splat(ap + ldaB);
        x1 = f32x4.add(x1, f32x4.mul(s, b0));
        y1 = f32x4.add(y1, f32x4.mul(s, b1));
        s = v128.load32_splat(ap + 2 * ldaB);
        x2 = f32x4.add(x2, f32x4.mul(s, b0));
        y2 = f32x4.add(y2, f32x4.mul(s, b1));
        s = v128.load32_splat(ap + 3 * ldaB);
        x3 = f32x4.add(x3, f32x4.mul(s, b0));
        y3 = f32x4.add(y3, f32x4.mul(s, b1));
        ap += 4;
        b += 32;
      }
      finish4(x0, y0, x1, y1, x2, y2, x3, y3, c0, ldcB, p << 3, n, bias, act, scale, shift);
    }
  }
  for (; m < m1; m++) {
    const a0 = a + <usize>m * ldaB;
    const c0 = c + <usize>m * ldcB;
    for (let p = p0; p < p1; p++) {
      let b = bp + <usize>p * panelB;
      let x0 = f32x4.splat(0), y0 = f32x4.splat(0);
      let ap = a0;
      const end = a0 + (<usize>k << 2);
      while (ap < end) {
        const s = v128.load32_splat(ap);
        x0 = f32x4.add(x0, f32x4.mul(s, v128.load(b)));
        y0 = f32x4.add(y0, f32x4.mul(s, v128.load(b, 16)));
        ap += 4;
        b += 32;
      }
      const col = p << 3;
      put(c0, epilogue(x0, bias, scale, shift, col, act), col, n);
      put(c0, epilogue(y0, bias, scale, shift, col + 4, act), col + 4, n);
    }
  }
}

/** Copies n bytes (a multiple of 4): vectors, then floats. Never writes past dst + n. */
@inline function copyBytes(dst: usize, src: usize, n: usize): void {
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) v128.store(dst + o, v128.load(src + o));
  for (; o < n; o += 4) store<f32>(dst + o, load<f32>(src + o));
}

@inline function zeroBytes(dst: usize, n: usize): void {
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) v128.store(dst + o, f32x4.splat(0));
  for (; o < n; o += 4) store<f32>(dst + o, 0);
}

/**
 * Patch rows [m0, m1) of an NHWC convolution input (row = output pixel: kh * kw * c values, zeros
 * outside the input). A window row that lies inside the input is one contiguous run of kw * c floats.
 */
export function im2col(
  x: usize, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  oh: i32, ow: i32, out: usize, m0: i32, m1: i32,
): void {
  const cB = <usize>c << 2;
  const runB = <usize>kw * cB;
  const plane = oh * ow;
  // (b, oy, ox) of row m0, then stepped: no division per row.
  let b = m0 / plane;
  let oy = (m0 - b * plane) / ow;
  let ox = m0 - b * plane - oy * ow;
  let dst = out + <usize>m0 * <usize>kh * runB;
  for (let m = m0; m < m1; m++) {
    const ix0 = ox * sw - pl;
    const rowInside = ix0 >= 0 && ix0 + kw <= w;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh + ky - pt;
      if (iy < 0 || iy >= h) {
        zeroBytes(dst, runB);
      } else {
        const line = x + <usize>(b * h + iy) * <usize>w * cB;
        if (rowInside) copyBytes(dst, line + <usize>ix0 * cB, runB);
        else {
          for (let kx = 0; kx < kw; kx++) {
            const ix = ix0 + kx;
            if (ix >= 0 && ix < w) copyBytes(dst + <usize>kx * cB, line + <usize>ix * cB, cB);
            else zeroBytes(dst + <usize>kx * cB, cB);
          }
        }
      }
      dst += runB;
    }
    if (++ox == ow) {
      ox = 0;
      if (++oy == oh) {
        oy = 0;
        b++;
      }
    }
  }
}

/** Max (kind 0) or average (kind 1, over the window's valid cells) pooling, output pixels [m0, m1). */
export function pool(
  x: usize, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  oh: i32, ow: i32, out: usize, m0: i32, m1: i32, kind: i32,
): void {
  const plane = oh * ow;
  const c4 = c & ~3;
  let b = m0 / plane;
  let oy = (m0 - b * plane) / ow;
  let ox = m0 - b * plane - oy * ow;
  for (let m = m0; m < m1; m++, ox++) {
    if (ox == ow) {
      ox = 0;
      if (++oy == oh) {
        oy = 0;
        b++;
      }
    }
    const y0 = max(oy * sh - pt, 0);
    const y1 = min(oy * sh - pt + kh, h);
    const x0 = max(ox * sw - pl, 0);
    const x1 = min(ox * sw - pl + kw, w);
    const dst = out + <usize>m * <usize>c * 4;
    const count = <f32>((y1 - y0) * (x1 - x0));
    for (let ch = 0; ch < c4; ch += 4) {
      let acc = kind == 0 ? f32x4.splat(-Infinity) : f32x4.splat(0);
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = x0; ix < x1; ix++) {
          const v = v128.load(x + (<usize>((b * h + iy) * w + ix) * <usize>c + <usize>ch) * 4);
          acc = kind == 0 ? f32x4.max(acc, v) : f32x4.add(acc, v);
        }
      }
      if (kind == 1) acc = f32x4.div(acc, f32x4.splat(count));
      v128.store(dst + (<usize>ch << 2), acc);
    }
    for (let ch = c4; ch < c; ch++) {
      let acc: f32 = kind == 0 ? -Infinity : 0;
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = x0; ix < x1; ix++) {
          const v = load<f32>(x + (<usize>((b * h + iy) * w + ix) * <usize>c + <usize>ch) * 4);
          acc = kind == 0 ? (v > acc || isNaN(v) ? v : acc) : acc + v;
        }
      }
      store<f32>(dst + (<usize>ch << 2), kind == 1 ? acc / count : acc);
    }
  }
}

/**
 * Depthwise convolution, channel multiplier 1: filter [kh, kw, c], output pixels [m0, m1), with the
 * gemm epilogue (bias, activation, post affine). Per pixel, each window tap inside the input adds
 * x * filter over all channels (contiguous, vectorised) into the output row, then the epilogue runs
 * over the row. Vectors padded to a multiple of 4 floats.
 */
export function depthwise(
  x: usize, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  oh: i32, ow: i32, filter: usize, out: usize, m0: i32, m1: i32,
  bias: usize, act: i32, scale: usize, shift: usize,
): void {
  const plane = oh * ow;
  const cB = <usize>c << 2;
  const c4B = <usize>(c & ~3) << 2;
  let b = m0 / plane;
  let oy = (m0 - b * plane) / ow;
  let ox = m0 - b * plane - oy * ow;
  for (let m = m0; m < m1; m++) {
    const dst = out + <usize>m * cB;
    // Start from zero.
    for (let o: usize = 0; o < c4B; o += 16) v128.store(dst + o, f32x4.splat(0));
    for (let o = c4B; o < cB; o += 4) store<f32>(dst + o, 0);
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh + ky - pt;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * sw + kx - pl;
        if (ix < 0 || ix >= w) continue;
        const src = x + <usize>((b * h + iy) * w + ix) * cB;
        const f = filter + <usize>(ky * kw + kx) * cB;
        for (let o: usize = 0; o < c4B; o += 16) {
          v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(v128.load(src + o), v128.load(f + o))));
        }
        for (let o = c4B; o < cB; o += 4) store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o) * load<f32>(f + o));
      }
    }
    for (let ch = 0; ch < c; ch += 4) {
      const at = dst + (<usize>ch << 2);
      if (ch + 4 <= c) v128.store(at, epilogue(v128.load(at), bias, scale, shift, ch, act));
      else {
        let v = f32x4.splat(0);
        v = f32x4.replace_lane(v, 0, load<f32>(at));
        if (ch + 1 < c) v = f32x4.replace_lane(v, 1, load<f32>(at, 4));
        if (ch + 2 < c) v = f32x4.replace_lane(v, 2, load<f32>(at, 8));
        put(dst, epilogue(v, bias, scale, shift, ch, act), ch, c);
      }
    }
    if (++ox == ow) {
      ox = 0;
      if (++oy == oh) {
        oy = 0;
        b++;
      }
    }
  }
}

/** y = post(act(x)) per channel, rows (pixels) [m0, m1) of an [rows x c] matrix; in place allowed. */
export function affine(x: usize, out: usize, c: i32, m0: i32, m1: i32, act: i32, scale: usize, shift: usize): void {
  const cB = <usize>c << 2;
  for (let m = m0; m < m1; m++) {
    const src = x + <usize>m * cB;
    const dst = out + <usize>m * cB;
    let ch = 0;
    for (; ch + 4 <= c; ch += 4) {
      v128.store(dst + (<usize>ch << 2), epilogue(v128.load(src + (<usize>ch << 2)), 0, scale, shift, ch, act));
    }
    for (; ch < c; ch++) {
      let v = load<f32>(src + (<usize>ch << 2));
      if (act == ACT_RELU) v = v > 0 ? v : 0;
      else if (act == ACT_RELU6) v = min(max(v, 0), 6);
      if (scale) v = v * load<f32>(scale + (<usize>ch << 2)) + load<f32>(shift + (<usize>ch << 2));
      store<f32>(dst + (<usize>ch << 2), v);
    }
  }
}

/** Softmax over the last axis of an [rows x c] matrix, rows [m0, m1); in place allowed. */
export function softmax(x: usize, out: usize, c: i32, m0: i32, m1: i32): void {
  for (let m = m0; m < m1; m++) {
    const src = x + (<usize>m * <usize>c << 2);
    const dst = out + (<usize>m * <usize>c << 2);
    let hi: f32 = -Infinity;
    for (let i = 0; i < c; i++) hi = max(hi, load<f32>(src + (<usize>i << 2)));
    let sum: f64 = 0;
    for (let i = 0; i < c; i++) {
      const e = Mathf.exp(load<f32>(src + (<usize>i << 2)) - hi);
      store<f32>(dst + (<usize>i << 2), e);
      sum += e;
    }
    const inv = <f32>(1 / sum);
    for (let i = 0; i < c; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) * inv);
  }
}

/** out = a + b over elements [m0, m1). */
export function add(a: usize, b: usize, out: usize, m0: i32, m1: i32): void {
  let i = m0;
  for (; i + 4 <= m1; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < m1; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

/**
 * Zero padding of an NHWC tensor ([n, h, w, c] -> [n, hp, wp, c], input at row t, column l):
 * output rows [m0, m1) (m = image * hp + y), every byte written (the buffer is reused).
 */
export function padrows(x: usize, h: i32, w: i32, c: i32, t: i32, l: i32, hp: i32, wp: i32, out: usize, m0: i32, m1: i32): void {
  const cB = <usize>c << 2;
  const rowB = <usize>wp * cB;
  const leftB = <usize>l * cB;
  const inB = <usize>w * cB;
  for (let m = m0; m < m1; m++) {
    const b = m / hp;
    const y = m - b * hp - t;
    const dst = out + <usize>m * rowB;
    if (y < 0 || y >= h) {
      zeroBytes(dst, rowB);
      continue;
    }
    zeroBytes(dst, leftB);
    copyBytes(dst + leftB, x + <usize>(b * h + y) * inB, inB);
    zeroBytes(dst + leftB + inB, rowB - leftB - inB);
  }
}

// ---------- activations of recurrent cells (loop bodies, engines/loopCompile.ts) ----------

const ACT_SIGMOID = 0;
const ACT_TANH = 1;

/**
 * e^x for four lanes to float32 accuracy: x = k ln2 + r (|r| <= ln2 / 2), e^r by its Taylor
 * polynomial of degree 7, 2^k built in the exponent bits. x is clamped to [-87, 87]; NaN stays NaN.
 */
@inline function exp4(x: v128): v128 {
  const y = f32x4.min(f32x4.max(x, f32x4.splat(-87)), f32x4.splat(87));
  const k = f32x4.nearest(f32x4.mul(y, f32x4.splat(1.4426950408889634)));
  const r = f32x4.sub(f32x4.sub(y, f32x4.mul(k, f32x4.splat(0.693145751953125))), f32x4.mul(k, f32x4.splat(1.428606765330187e-6)));
  let p = f32x4.splat(1.0 / 5040);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 720));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

@inline function act4(x: v128, kind: i32): v128 {
  const one = f32x4.splat(1);
  if (kind == ACT_SIGMOID) return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
  // tanh(x) = 1 - 2 / (1 + e^(2x))
  return f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(one, exp4(f32x4.add(x, x)))));
}

/**
 * y[r, c] = act(x[r, c]) for rows [m0, m1) and columns [0, cols): x and y are row-major with
 * leading dimensions ldx and ldy (so a Split part of a wider matrix is read in place). kind 0 is
 * the sigmoid, 1 tanh.
 */
export function act(x: usize, ldx: i32, y: usize, ldy: i32, cols: i32, m0: i32, m1: i32, kind: i32): void {
  const ldxB = <usize>ldx << 2;
  const ldyB = <usize>ldy << 2;
  for (let m = m0; m < m1; m++) {
    const xr = x + <usize>m * ldxB;
    const yr = y + <usize>m * ldyB;
    let c = 0;
    for (; c + 4 <= cols; c += 4) v128.store(yr + (<usize>c << 2), act4(v128.load(xr + (<usize>c << 2)), kind));
    for (; c < cols; c++) {
      const v = act4(f32x4.splat(load<f32>(xr + (<usize>c << 2))), kind);
      store<f32>(yr + (<usize>c << 2), f32x4.extract_lane(v, 0));
    }
  }
}
