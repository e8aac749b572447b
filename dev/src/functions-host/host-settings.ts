import fs from 'node:fs';

// The parts of host.json the dev host honours, with the Functions host's own defaults.
export interface QueueHostSettings {
  maxDequeueCount: number;
  visibilityTimeoutMs: number;
  batchSize: number;
  newBatchThreshold: number;
  maxPollingIntervalMs: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueHostSettings = {
  maxDequeueCount: 5,
  visibilityTimeoutMs: 0,
  batchSize: 16,
  newBatchThreshold: 8,
  maxPollingIntervalMs: 60_000,
};

function timeSpanMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+):(\d{2}):(\d{2})(\.\d+)?$/.exec(value);
  if (!m) return undefined;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Math.round(Number(m[4] ?? 0) * 1000);
}

export function readQueueSettings(hostJsonPath: string): QueueHostSettings {
  if (!fs.existsSync(hostJsonPath)) return DEFAULT_QUEUE_SETTINGS;
  const host = JSON.parse(fs.readFileSync(hostJsonPath, 'utf8')) as { extensions?: { queues?: Record<string, unknown> } };
  const q = host.extensions?.queues ?? {};
  return {
    maxDequeueCount: typeof q['maxDequeueCount'] === 'number' ? q['maxDequeueCount'] : DEFAULT_QUEUE_SETTINGS.maxDequeueCount,
    visibilityTimeoutMs: timeSpanMs(q['visibilityTimeout']) ?? DEFAULT_QUEUE_SETTINGS.visibilityTimeoutMs,
    batchSize: typeof q['batchSize'] === 'number' ? q['batchSize'] : DEFAULT_QUEUE_SETTINGS.batchSize,
    // The host's default is half the batch size.
    newBatchThreshold:
      typeof q['newBatchThreshold'] === 'number'
        ? q['newBatchThreshold']
        : Math.floor((typeof q['batchSize'] === 'number' ? q['batchSize'] : DEFAULT_QUEUE_SETTINGS.batchSize) / 2),
    maxPollingIntervalMs: timeSpanMs(q['maxPollingInterval']) ?? DEFAULT_QUEUE_SETTINGS.maxPollingIntervalMs,
  };
}
