import type { RateRule } from './rate-limiter';

export interface ChatSettings {
  tokenLifetimeSeconds: number;
  maxMessageLength: number;
  pageSize: number;
  /** A retried start (same clientRequestId) within this window gets the conversation back. */
  startReplayWindowSeconds: number;
  startRate: RateRule;
  sendRate: RateRule;
  readRate: RateRule;
  /** Typing signals: the widget sends one every 3 s at most while the customer types. */
  typingRate: RateRule;
  widgetCacheTtlMs: number;
  /** Proxies in front of the app that append to X-Forwarded-For (1: Azure's front end). */
  trustedProxyHops: number;
  /** How long "nothing new" is answered from this instance's memory (see chat-cursors.ts); 0 always reads. */
  cursorTrustMs: number;
}

export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  tokenLifetimeSeconds: 24 * 3600,
  maxMessageLength: 4000,
  pageSize: 100,
  startReplayWindowSeconds: 15 * 60,
  startRate: { burst: 5, perSecond: 5 / 60 },
  sendRate: { burst: 20, perSecond: 1 },
  readRate: { burst: 30, perSecond: 2 },
  typingRate: { burst: 3, perSecond: 1 / 2 },
  widgetCacheTtlMs: 30_000,
  trustedProxyHops: 1,
  cursorTrustMs: 30_000,
};
