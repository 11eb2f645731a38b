// Copyright 2026 the @ipc/linux authors. MIT license.
/** Helpers of the message-queue tests: scoped queue names and the C peer's messages. */
import { MessageQueue } from "../../mq/mod.ts";
import type { Scope } from "../_helpers/mod.ts";

/** A fresh queue name, unlinked when the test's scope ends. */
export function queueName(scope: Scope): string {
  return scope.name("mq", (n) => MessageQueue.unlink(n));
}

/** The bytes tests/fixtures/mq_c_peer.c sends as message i. */
export function cMessage(i: number): Uint8Array {
  const head = new TextEncoder().encode(`c:${i}:`);
  const tail = Array.from({ length: i % 7 }, (_, k) => k === 0 ? 0 : k === 1 ? 0xff : k);
  return new Uint8Array([...head, ...tail]);
}
