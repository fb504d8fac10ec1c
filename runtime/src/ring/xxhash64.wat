;; XXH64 (seed 0) for Alloy's ring and shard keys. Source of xxhash64Wasm.ts (npm run build:wasm).
;; 64-bit values never reach JavaScript as BigInt: results are stored little-endian in memory.
;; Checked against xxhash-wasm on every reference vector by the test suite.
(module
  (memory (export "memory") 2)

  ;; The XXH64 primes appear as literals (an immutable global is a memory load per use in V8's code):
  ;; P1 0x9E3779B185EBCA87, P2 0xC2B2AE3D27D4EB4F, P3 0x165667B19E3779F9, P4 0x85EBCA77C2B2AE63,
  ;; P5 0x27D4EB2F165667C5.

  ;; The XXH64 round, acc = rotl(acc + input·P2, 31)·P1, is written out in place wherever it is used:
  ;; V8 does not inline wasm calls, and the calls cost as much as the arithmetic.

  ;; The converged value of four lanes (inputs of at least 32 bytes), before the length is added.
  (func $mergeLanes (param $v1 i64) (param $v2 i64) (param $v3 i64) (param $v4 i64) (result i64)
    (local $h i64)
    (local.set $h
      (i64.add
        (i64.add (i64.rotl (local.get $v1) (i64.const 1)) (i64.rotl (local.get $v2) (i64.const 7)))
        (i64.add (i64.rotl (local.get $v3) (i64.const 12)) (i64.rotl (local.get $v4) (i64.const 18)))))
    (local.set $h (i64.add (i64.mul (i64.xor (local.get $h) (i64.mul (i64.rotl (i64.mul (local.get $v1) (i64.const 0xC2B2AE3D27D4EB4F)) (i64.const 31)) (i64.const 0x9E3779B185EBCA87))) (i64.const 0x9E3779B185EBCA87)) (i64.const 0x85EBCA77C2B2AE63)))
    (local.set $h (i64.add (i64.mul (i64.xor (local.get $h) (i64.mul (i64.rotl (i64.mul (local.get $v2) (i64.const 0xC2B2AE3D27D4EB4F)) (i64.const 31)) (i64.const 0x9E3779B185EBCA87))) (i64.const 0x9E3779B185EBCA87)) (i64.const 0x85EBCA77C2B2AE63)))
    (local.set $h (i64.add (i64.mul (i64.xor (local.get $h) (i64.mul (i64.rotl (i64.mul (local.get $v3) (i64.const 0xC2B2AE3D27D4EB4F)) (i64.const 31)) (i64.const 0x9E3779B185EBCA87))) (i64.const 0x9E3779B185EBCA87)) (i64.const 0x85EBCA77C2B2AE63)))
    (i64.add (i64.mul (i64.xor (local.get $h) (i64.mul (i64.rotl (i64.mul (local.get $v4) (i64.const 0xC2B2AE3D27D4EB4F)) (i64.const 31)) (i64.const 0x9E3779B185EBCA87))) (i64.const 0x9E3779B185EBCA87)) (i64.const 0x85EBCA77C2B2AE63)))

  ;; Tail bytes [p, end) and the final avalanche.
  (func $finish (param $h i64) (param $p i32) (param $end i32) (result i64)
    (block $done8
      (loop $eight
        (br_if $done8 (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $end)))
        (local.set $h
          (i64.add
            (i64.mul
              (i64.rotl
                (i64.xor (local.get $h) (i64.mul (i64.rotl (i64.mul (i64.load (local.get $p)) (i64.const 0xC2B2AE3D27D4EB4F)) (i64.const 31)) (i64.const 0x9E3779B185EBCA87)))
                (i64.const 27))
              (i64.const 0x9E3779B185EBCA87))
            (i64.const 0x85EBCA77C2B2AE63)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $eight)))
    (if (i32.le_u (i32.add (local.get $p) (i32.const 4)) (local.get $end))
      (then
        (local.set $h
          (i64.add
            (i64.mul
              (i64.rotl
                (i64.xor (local.get $h) (i64.mul (i64.load32_u (local.get $p)) (i64.const 0x9E3779B185EBCA87)))
                (i64.const 23))
              (i64.const 0xC2B2AE3D27D4EB4F))
            (i64.const 0x165667B19E3779F9)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))))
    (block $done1
      (loop $one
        (br_if $done1 (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $h
          (i64.mul
            (i64.rotl
              (i64.xor (local.get $h) (i64.mul (i64.load8_u (local.get $p)) (i64.const 0x27D4EB2F165667C5)))
              (i64.const 11))
            (i64.const 0x9E3779B185EBCA87)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $one)))
    (local.set $h (i64.mul (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 33))) (i64.const 0xC2B2AE3D27D4EB4F)))
    (local.set $h (i64.mul (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 29))) (i64.const 0x165667B19E3779F9)))
    (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 32))))

  (func $xxh64 (param $p i32) (param $len i32) (result i64)
    (local $end i32) (local $limit i32) (local $h i64)
    (local $v1 i64) (local $v2 i64) (local $v3 i64) (local $v4 i64)
    (local.set $end (i32.add (local.get $p) (local.get $len)))
    (if (i32.ge_u (local.get $len) (i32.const 32))
      (then
        (local.set $limit (i32.sub (local.get $end) (i32.const 32)))
        (local.set $v1 (i64.add (i64.const 0x9E3779B185EBCA87) (i64.const 0xC2B2AE3D27D4EB4F)))
        (local.set $v2 (i64.const 0xC2B2AE3D27D4EB4F))
        (local.set $v3 (i64.const 0))
        (local.set $v4 (i64.sub (i64.const 0) (i64.const 0x9E3779B185EBCA87)))
        (loop $stripe
          (local.set $v1 (i64.mul (i64.rotl (i64.add (local.get $v1) (i64.mul (i64.load (local.get $p)) (i64.const 0xC2B2AE3D27D4EB4F))) (i64.const 31)) (i64.const 0x9E3779B185EBCA87)))
          (local.set $v2 (i64.mul (i64.rotl (i64.add (local.get $v2) (i64.mul (i64.load offset=8 (local.get $p)) (i64.const 0xC2B2AE3D27D4EB4F))) (i64.const 31)) (i64.const 0x9E3779B185EBCA87)))
          (local.set $v3 (i64.mul (i64.rotl (i64.add (local.get $v3) (i64.mul (i64.load offset=16 (local.get $p)) (i64.const 0xC2B2AE3D27D4EB4F))) (i64.const 31)) (i64.const 0x9E3779B185EBCA87)))
          (local.set $v4 (i64.mul (i64.rotl (i64.add (local.get $v4) (i64.mul (i64.load offset=24 (local.get $p)) (i64.const 0xC2B2AE3D27D4EB4F))) (i64.const 31)) (i64.const 0x9E3779B185EBCA87)))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (br_if $stripe (i32.le_u (local.get $p) (local.get $limit))))
        (local.set $h (call $mergeLanes (local.get $v1) (local.get $v2) (local.get $v3) (local.get $v4))))
      (else (local.set $h (i64.const 0x27D4EB2F165667C5))))
    (call $finish
      (i64.add (local.get $h) (i64.extend_i32_u (local.get $len)))
      (local.get $p) (local.get $end)))

  ;; hash(p, len): stores XXH64 of [p, p+len) at address 0.
  (func (export "hash") (param $p i32) (param $len i32)
    (i64.store (i32.const 0) (call $xxh64 (local.get $p) (local.get $len))))

  ;; hashLabels(lens, count, names, data, scratch, out): the target keys of `count` label sets. For each, `lens`
  ;; lists i32s [labelCount, then per label: name offset (from `names`), name length, value length]; the
  ;; values lie back to back at `data`. A key's bytes are `name 0xFF value 0xFF` per label (Alloy's
  ;; NonMetaLabelsHash), built at `scratch` and hashed into out + 8·i. Bytes are copied eight at a time (label
  ;; parts are short; memory.copy is a call into the engine each time), so `scratch` needs room for the
  ;; longest key plus 8 bytes, and `names` and `data` 8 readable bytes past their ends.
  (func (export "hashLabels")
    (param $lens i32) (param $count i32) (param $names i32) (param $data i32) (param $scratch i32) (param $out i32)
    (local $i i32) (local $n i32) (local $w i32) (local $src i32) (local $end i32)
    (block $done
      (loop $key
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $n (i32.load (local.get $lens)))
        (local.set $lens (i32.add (local.get $lens) (i32.const 4)))
        (local.set $w (local.get $scratch))
        (block $labels
          (loop $label
            (br_if $labels (i32.eqz (local.get $n)))
            ;; the name, from the names area
            (local.set $src (i32.add (local.get $names) (i32.load (local.get $lens))))
            (local.set $end (i32.add (local.get $w) (i32.load offset=4 (local.get $lens))))
            (block $nameCopied
              (loop $copyName
                (br_if $nameCopied (i32.ge_u (local.get $w) (local.get $end)))
                (i64.store (local.get $w) (i64.load (local.get $src)))
                (local.set $w (i32.add (local.get $w) (i32.const 8)))
                (local.set $src (i32.add (local.get $src) (i32.const 8)))
                (br $copyName)))
            (i32.store8 (local.get $end) (i32.const 0xFF))
            (local.set $w (i32.add (local.get $end) (i32.const 1)))
            ;; the value, next in the data area
            (local.set $end (i32.add (local.get $w) (i32.load offset=8 (local.get $lens))))
            (local.set $src (local.get $data))
            (local.set $data (i32.add (local.get $data) (i32.load offset=8 (local.get $lens))))
            (block $valueCopied
              (loop $copyValue
                (br_if $valueCopied (i32.ge_u (local.get $w) (local.get $end)))
                (i64.store (local.get $w) (i64.load (local.get $src)))
                (local.set $w (i32.add (local.get $w) (i32.const 8)))
                (local.set $src (i32.add (local.get $src) (i32.const 8)))
                (br $copyValue)))
            (i32.store8 (local.get $end) (i32.const 0xFF))
            (local.set $w (i32.add (local.get $end) (i32.const 1)))
            (local.set $lens (i32.add (local.get $lens) (i32.const 12)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $label)))
        (i64.store (local.get $out) (call $xxh64 (local.get $scratch) (i32.sub (local.get $w) (local.get $scratch))))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $key))))

  ;; nodeTokens(name, nameLen, count, out): ckit's tokens of a node. The name's bytes are at `name`, with room
  ;; for `count` more bytes after them; token t is the streaming digest after writing the name and the bytes
  ;; 0, 1, …, t (mod 256). Tokens are stored at out + 8·t.
  (func (export "nodeTokens") (param $name i32) (param $nameLen i32) (param $count i32) (param $out i32)
    (local $t i32) (local $total i32) (local $consumed i32) (local $stripe i32)
    (local $v1 i64) (local $v2 i64) (local $v3 i64) (local $v4 i64) (local $merged i64) (local $h i64)
    (block $filled
      (loop $fill
        (br_if $filled (i32.ge_u (local.get $t) (local.get $count)))
        (i32.store8 (i32.add (i32.add (local.get $name) (local.get $nameLen)) (local.get $t)) (local.get $t))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $fill)))
    (local.set $v1 (i64.add (i64.const 0x9E3779B185EBCA87) (i64.const 0xC2B2AE3D27D4EB4F)))
    (local.set $v2 (i64.const 0xC2B2AE3D27D4EB4F))
    (local.set $v4 (i64.sub (i64.const 0) (i64.const 0x9E3779B185EBCA87)))
    (local.set $t (i32.const 0))
    (block $done
      (loop $token
        (br_if $done (i32.ge_u (local.get $t) (local.get $count)))
        (local.set $total (i32.add (local.get $nameLen) (i32.add (local.get $t) (i32.const 1))))
        (if (i32.ge_u (i32.sub (local.get $total) (local.get $consumed)) (i32.const 32))
          (then
            (loop $stripes
              (local.set $stripe (i32.add (local.get $name) (local.get $consumed)))
              (local.set $v1 (i64.mul (i64.rotl (i64.add (local.get $v1) (i64.mul (i64.load (local.get $stripe)) (i64.const 0xC2B2AE3D27D4EB4F))) (i64.const 31)) (i64.const 0x9E3779B185EBCA87)))
              (local.set $v2 (i64.mul (i64.rotl (i64.add (local.get $v2) (i64.mul (i64.load offset=8 (local.get $stripe)) (i64.const 0xC2B2AE3D27D4EB4F))) (i64.const 31)) (i64.const 0x9E3779B185EBCA87)))
              (local.set $v3 (i64.mul (i64.rotl (i64.add (local.get $v3) (i64.mul (i64.load offset=16 (local.get $stripe)) (i64.const 0xC2B2AE3D27D4EB4F))) (i64.const 31)) (i64.const 0x9E3779B185EBCA87)))
              (local.set $v4 (i64.mul (i64.rotl (i64.add (local.get $v4) (i64.mul (i64.load offset=24 (local.get $stripe)) (i64.const 0xC2B2AE3D27D4EB4F))) (i64.const 31)) (i64.const 0x9E3779B185EBCA87)))
              (local.set $consumed (i32.add (local.get $consumed) (i32.const 32)))
              (br_if $stripes (i32.ge_u (i32.sub (local.get $total) (local.get $consumed)) (i32.const 32))))
            (local.set $merged (call $mergeLanes (local.get $v1) (local.get $v2) (local.get $v3) (local.get $v4)))))
        (local.set $h (select (local.get $merged) (i64.const 0x27D4EB2F165667C5) (i32.ge_u (local.get $total) (i32.const 32))))
        (i64.store
          (i32.add (local.get $out) (i32.shl (local.get $t) (i32.const 3)))
          (call $finish
            (i64.add (local.get $h) (i64.extend_i32_u (local.get $total)))
            (i32.add (local.get $name) (local.get $consumed))
            (i32.add (local.get $name) (local.get $total))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $token))))
)
