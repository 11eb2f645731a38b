// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import fc from "fast-check";
import { IdMap } from "../../protocol/_id_map.ts";

Deno.test("IdMap: any sequence of set, delete and clear agrees with a Map", () => {
  const op = fc.oneof(
    fc.record({ op: fc.constant("set"), id: fc.integer({ min: 0, max: 5 }), v: fc.integer() }),
    fc.record({ op: fc.constant("delete"), id: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ op: fc.constant("clear") }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
    const ids = new IdMap<number>();
    const map = new Map<number, number>();
    for (const o of ops) {
      if (o.op === "set") {
        ids.set(o.id, o.v);
        map.set(o.id, o.v);
      } else if (o.op === "delete") {
        assert.equal(ids.delete(o.id), map.delete(o.id));
      } else {
        ids.clear();
        map.clear();
      }
      assert.equal(ids.size, map.size);
      for (let id = 0; id <= 5; id++) {
        assert.equal(ids.has(id), map.has(id));
        assert.equal(ids.get(id), map.get(id));
      }
      const sorted = (e: Iterable<[number, number]>) => [...e].sort((a, b) => a[0] - b[0]);
      assert.deepEqual(sorted(ids.entries()), sorted(map.entries()));
      assert.deepEqual([...ids.values()].sort(), [...map.values()].sort());
    }
  }));
});
