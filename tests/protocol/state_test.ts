// Copyright 2026 the @ipc/linux authors. MIT license.
// The state machine against the table in PROTOCOL.md §5.
import assert from "node:assert/strict";
import {
  type ConnectionState,
  ErrorCode,
  type Frame,
  ProtocolStateMachine,
  ProtocolViolation,
  type Role,
} from "../../protocol/mod.ts";

const p = new Uint8Array();
const FRAMES: Record<Frame["kind"], Frame> = {
  hello: { kind: "hello", minVersion: 1, maxVersion: 1, features: 0, maxFrameSize: 4096 },
  accept: { kind: "accept", version: 1, features: 0, maxFrameSize: 4096 },
  reject: { kind: "reject", code: 7, message: "" },
  request: { kind: "request", id: 1, method: "m", payload: p },
  response: { kind: "response", id: 1, payload: p },
  error: { kind: "error", id: 1, code: 100, message: "" },
  notify: { kind: "notify", method: "m", payload: p },
  cancel: { kind: "cancel", id: 1 },
  ping: { kind: "ping", id: 1, payload: p },
  pong: { kind: "pong", id: 1, payload: p },
  goodbye: { kind: "goodbye", reason: "" },
};

/** A machine brought to `state`, with request 1 open where that is possible. */
function machine(role: Role, state: ConnectionState): ProtocolStateMachine {
  const sm = new ProtocolStateMachine(role);
  if (role === "client") {
    if (state === "connecting") return sm;
    sm.send(FRAMES.hello);
    if (state === "handshaking") return sm;
    sm.receive(FRAMES.accept);
    sm.send(FRAMES.request);
  } else {
    if (state === "handshaking") return sm;
    sm.receive(FRAMES.hello);
    sm.send(FRAMES.accept);
    sm.receive(FRAMES.request);
  }
  if (state === "closing") sm.send(FRAMES.goodbye);
  if (state === "closed") sm.close();
  return sm;
}

// Legal incoming kinds by role and state (PROTOCOL.md §5); ERROR(0) is always legal.
const LEGAL: Record<Role, Partial<Record<ConnectionState, string[]>>> = {
  client: {
    handshaking: ["accept", "reject"],
    ready: ["response", "error", "notify", "ping", "pong", "goodbye"],
    closing: ["response", "error", "notify", "ping", "pong", "goodbye"],
  },
  server: {
    handshaking: ["hello"],
    ready: ["request", "notify", "cancel", "ping", "pong", "goodbye"],
    closing: ["request", "notify", "cancel", "ping", "pong", "goodbye"],
  },
};

Deno.test("protocol state: every kind in every state follows the table", () => {
  for (const role of ["client", "server"] as const) {
    for (const state of ["connecting", "handshaking", "ready", "closing", "closed"] as const) {
      if (role === "server" && state === "connecting") continue; // servers start handshaking
      for (const [kind, frame] of Object.entries(FRAMES)) {
        const sm = machine(role, state);
        assert.equal(sm.state, state);
        const legal = LEGAL[role][state]?.includes(kind) ?? false;
        // A server's open request 1 makes a second REQUEST with id 1 a duplicate.
        const f = role === "server" && kind === "request" ? { ...frame, id: 2 } as Frame : frame;
        if (legal) {
          sm.receive(f);
        } else {
          assert.throws(() => sm.receive(f), (e) => {
            assert.ok(e instanceof ProtocolViolation, `${role} ${state} ${kind}`);
            assert.equal(e.code, ErrorCode.UNEXPECTED_FRAME);
            return true;
          });
        }
      }
    }
  }
});

Deno.test("protocol state: ERROR(0) closes, duplicates and unknown ids are violations", () => {
  const server = machine("server", "ready");
  assert.throws(() => server.receive(FRAMES.request), { code: ErrorCode.DUPLICATE_ID });
  const client = machine("client", "ready");
  assert.throws(() => client.receive({ kind: "response", id: 9, payload: p }), {
    code: ErrorCode.UNEXPECTED_FRAME,
  });
  const c2 = machine("client", "ready");
  c2.receive({ kind: "error", id: 0, code: 1, message: "" });
  assert.equal(c2.state, "closed");
  const s2 = machine("server", "handshaking");
  s2.receive(FRAMES.hello);
  assert.throws(() => s2.receive(FRAMES.hello), ProtocolViolation);
});

Deno.test("protocol state: an ACCEPT outside the offered versions is UNSUPPORTED_VERSION", () => {
  for (const version of [0, 3, 9]) {
    const sm = new ProtocolStateMachine("client");
    sm.send({ kind: "hello", minVersion: 1, maxVersion: 2, features: 0, maxFrameSize: 4096 });
    assert.throws(
      () => sm.receive({ kind: "accept", version, features: 0, maxFrameSize: 4096 }),
      (err) =>
        err instanceof ProtocolViolation && err.code === ErrorCode.UNSUPPORTED_VERSION &&
        /version \d, outside the offered 1\.\.2/.test(err.message),
    );
  }
  const sm = new ProtocolStateMachine("client");
  sm.send({ kind: "hello", minVersion: 1, maxVersion: 2, features: 0, maxFrameSize: 4096 });
  sm.receive({ kind: "accept", version: 2, features: 0, maxFrameSize: 4096 });
  assert.equal(sm.state, "ready");
});

Deno.test("protocol state: the goodbye exchange drains", () => {
  const server = machine("server", "ready");
  server.send(FRAMES.goodbye);
  assert.equal(server.state, "closing");
  server.receive({ kind: "request", id: 2, method: "m", payload: p }); // answered SHUTTING_DOWN
  server.send({ kind: "error", id: 2, code: ErrorCode.SHUTTING_DOWN, message: "" });
  server.receive(FRAMES.goodbye);
  assert.equal(server.drained, false); // request 1 still open
  server.send(FRAMES.response);
  assert.equal(server.drained, true);
  // After the client's GOODBYE, a REQUEST is illegal.
  assert.throws(() => server.receive({ kind: "request", id: 3, method: "m", payload: p }), {
    code: ErrorCode.UNEXPECTED_FRAME,
  });
  const client = machine("client", "ready");
  client.send(FRAMES.goodbye);
  assert.throws(() => client.send({ kind: "request", id: 2, method: "m", payload: p }), Error);
  assert.throws(() => new ProtocolStateMachine("peer" as Role), TypeError);
});
