/**
 * The Dice kernel in WebAssembly, written as binary by this small generator rather than compiled
 * from text at build time (the project has no build step). For a filter of W 64-bit words it
 * emits two functions, unrolled over the W words with the query held in W i64 locals and the
 * popcounts summed as a balanced tree (no long dependency chain):
 *
 *   scan(q, filters, counts, n, qc, thr, out, maxOut) -> hits
 *     for i in 0..n: inter = Σ popcnt(q[w] & filter_i[w]); if 2·inter ≥ thr·(qc + counts[i])
 *     write (i, inter) as two u32 at out + 8·hit (up to maxOut); return the number of hits.
 *   scanIds(q, filters, counts, ids, m, qc, thr, out, maxOut) -> hits
 *     the same over the records whose indices are ids[0..m] (the candidates of a block index);
 *     writes (position in ids, inter).
 *
 * All pointers are byte offsets into the imported memory `env.memory`. The equivalent text:
 *
 *   (func $scan (param $q i32) (param $f i32) (param $c i32) (param $n i32) (param $qc i32)
 *               (param $thr f32) (param $out i32) (param $max i32) (result i32)
 *     (local $i i32) (local $p i32) (local $hits i32) (local $inter i32) (local $q0 i64) …
 *     (local.set $q0 (i64.load offset=0 (local.get $q))) …
 *     (local.set $p (local.get $f))
 *     (block (loop
 *       (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
 *       (local.set $inter (i32.wrap_i64 (i64.add (i64.popcnt (i64.and (local.get $q0)
 *         (i64.load offset=0 (local.get $p)))) …)))
 *       (if (f32.ge (f32.convert_i32_u (i32.shl (local.get $inter) (i32.const 1)))
 *                   (f32.mul (local.get $thr) (f32.convert_i32_u (i32.add (local.get $qc)
 *                     (i32.load (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2))))))))
 *         (then (if (i32.lt_u (local.get $hits) (local.get $max)) (then …store i and inter…))
 *               (local.set $hits (i32.add (local.get $hits) (i32.const 1)))))
 *       (local.set $p (i32.add (local.get $p) (i32.const 8W)))
 *       (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *       (br 0)))
 *     (local.get $hits))
 */

const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;

const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  i32Load: 0x28,
  i64Load: 0x29,
  i32Store: 0x36,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  f32Ge: 0x60,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  i64Popcnt: 0x7b,
  i64Add: 0x7c,
  i64And: 0x83,
  f32Mul: 0x94,
  i32WrapI64: 0xa7,
  f32ConvertI32U: 0xb3,
} as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...Buffer.from(s, "utf8")].map((b) => [b]));

/** Sum of popcnt(q[j] & mem[p + 8j]) for j in [from, to), as a balanced tree on the stack. */
function popTree(qLocal0: number, pLocal: number, from: number, to: number): number[] {
  if (to - from === 1) {
    return [
      OP.localGet,
      ...uleb(qLocal0 + from),
      OP.localGet,
      ...uleb(pLocal),
      OP.i64Load,
      3,
      ...uleb(8 * from),
      OP.i64And,
      OP.i64Popcnt,
    ];
  }
  const mid = from + ((to - from) >> 1);
  return [...popTree(qLocal0, pLocal, from, mid), ...popTree(qLocal0, pLocal, mid, to), OP.i64Add];
}

interface Layout {
  q: number;
  filters: number;
  counts: number;
  ids?: number;
  n: number;
  qc: number;
  thr: number;
  out: number;
  max: number;
  i: number;
  p: number;
  hits: number;
  inter: number;
  q0: number;
}

function body(W: number, L: Layout): number[] {
  const get = (l: number) => [OP.localGet, ...uleb(l)];
  const set = (l: number) => [OP.localSet, ...uleb(l)];
  const times4 = [OP.i32Const, 2, OP.i32Shl];
  const code: number[] = [];
  for (let j = 0; j < W; j++) code.push(...get(L.q), OP.i64Load, 3, ...uleb(8 * j), ...set(L.q0 + j));
  if (L.ids === undefined) code.push(...get(L.filters), ...set(L.p));
  code.push(OP.block, 0x40, OP.loop, 0x40);
  code.push(...get(L.i), ...get(L.n), OP.i32GeU, OP.brIf, 1);
  // The record's index: i, or ids[i].
  const index =
    L.ids === undefined ? get(L.i) : [...get(L.ids), ...get(L.i), ...times4, OP.i32Add, OP.i32Load, 2, 0];
  if (L.ids !== undefined)
    code.push(...get(L.filters), ...index, OP.i32Const, ...sleb(8 * W), OP.i32Mul, OP.i32Add, ...set(L.p));
  code.push(...popTree(L.q0, L.p, 0, W), OP.i32WrapI64, ...set(L.inter));
  // 2·inter ≥ thr · (qc + counts[index])
  code.push(...get(L.inter), OP.i32Const, 1, OP.i32Shl, OP.f32ConvertI32U, ...get(L.thr), ...get(L.qc));
  code.push(...get(L.counts), ...index, ...times4, OP.i32Add, OP.i32Load, 2, 0);
  code.push(OP.i32Add, OP.f32ConvertI32U, OP.f32Mul, OP.f32Ge);
  code.push(OP.if, 0x40);
  code.push(...get(L.hits), ...get(L.max), OP.i32LtU, OP.if, 0x40);
  const slot = [...get(L.out), ...get(L.hits), OP.i32Const, 3, OP.i32Shl, OP.i32Add];
  code.push(...slot, ...get(L.i), OP.i32Store, 2, 0);
  code.push(...slot, ...get(L.inter), OP.i32Store, 2, 4);
  code.push(OP.end);
  code.push(...get(L.hits), OP.i32Const, 1, OP.i32Add, ...set(L.hits));
  code.push(OP.end);
  if (L.ids === undefined) code.push(...get(L.p), OP.i32Const, ...sleb(8 * W), OP.i32Add, ...set(L.p));
  code.push(...get(L.i), OP.i32Const, 1, OP.i32Add, ...set(L.i));
  code.push(OP.br, 0, OP.end, OP.end);
  code.push(...get(L.hits));
  return code;
}

function func(i32Locals: number, W: number, code: number[]): number[] {
  const locals = vec([
    [...uleb(i32Locals), I32],
    [...uleb(W), I64],
  ]);
  const inner = [...locals, ...code, OP.end];
  return [...uleb(inner.length), ...inner];
}

/** The module's bytes for filters of `words64` 64-bit words. */
export function kernelBytes(words64: number): Uint8Array {
  const W = words64;
  const scanType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [F32], [I32], [I32]]), ...vec([[I32]])];
  const idsType = [
    0x60,
    ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [F32], [I32], [I32]]),
    ...vec([[I32]]),
  ];
  const scan = body(W, {
    q: 0,
    filters: 1,
    counts: 2,
    n: 3,
    qc: 4,
    thr: 5,
    out: 6,
    max: 7,
    i: 8,
    p: 9,
    hits: 10,
    inter: 11,
    q0: 12,
  });
  const scanIds = body(W, {
    q: 0,
    filters: 1,
    counts: 2,
    ids: 3,
    n: 4,
    qc: 5,
    thr: 6,
    out: 7,
    max: 8,
    i: 9,
    p: 10,
    hits: 11,
    inter: 12,
    q0: 13,
  });
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([scanType, idsType])),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0], [1]])),
    ...section(
      7,
      vec([
        [...name("scan"), 0x00, 0],
        [...name("scanIds"), 0x00, 1],
      ]),
    ),
    ...section(10, vec([func(4, W, scan), func(4, W, scanIds)])),
  ];
  return new Uint8Array(bytes);
}
