// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the channel objects the mechanisms publish on. Each publish is
 * guarded by `hasSubscribers`, so a channel nobody listens to costs one
 * property read.
 *
 * @module
 */
import { channel } from "node:diagnostics_channel";
import { channels } from "./diagnostics.ts";

/** One channel object per name in {@linkcode channels}. */
export const diagnostics = {
  connectionOpen: channel(channels.connectionOpen),
  connectionClose: channel(channels.connectionClose),
  handshakeReject: channel(channels.handshakeReject),
  requestStart: channel(channels.requestStart),
  requestEnd: channel(channels.requestEnd),
  requestError: channel(channels.requestError),
  reconnect: channel(channels.reconnect),
  mqWait: channel(channels.mqWait),
  channelWait: channel(channels.channelWait),
};
