// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The Deno host's socket transport, over `Deno.listen` and `Deno.connect`.
 *
 * @module
 */
import type { Address, Listening, StreamConn, StreamListener, Transport } from "./_transport.ts";

/** The Deno transport over `Deno.listen` and `Deno.connect`. */
export const denoTransport: Transport = {
  listen(address: Address): Promise<Listening> {
    if (address.transport === "unix") {
      const listener = Deno.listen({ transport: "unix", path: address.path });
      return Promise.resolve({ listener, addr: address });
    }
    const tcp = Deno.listen({ hostname: address.hostname, port: address.port });
    const real = tcp.addr as Deno.NetAddr;
    const listener: StreamListener = {
      async accept() {
        const conn = await tcp.accept();
        conn.setNoDelay(true); // replies must not wait for the client's delayed ACK
        return conn;
      },
      close: () => tcp.close(),
    };
    return Promise.resolve({
      listener,
      addr: { transport: "tcp", hostname: real.hostname, port: real.port },
    });
  },
  async connect(address: Address): Promise<StreamConn> {
    if (address.transport === "unix") {
      return await Deno.connect({ transport: "unix", path: address.path });
    }
    const conn = await Deno.connect({ hostname: address.hostname, port: address.port });
    conn.setNoDelay(true);
    return conn;
  },
};
