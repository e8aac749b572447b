// Bots at the front door, measured: the functions table on the Dataverse emulator with its real
// Direct Line client against the Direct Line stand-in (the FAQ bot) and its webhook connector
// against the sample webhook bot. For --chats conversations of each kind:
//
// - open: the chat start (and, for the Direct Line bot, the opening turn with its greeting);
// - turn: a customer message → the bot's answer stored (Direct Line: in the turn; webhook: by
//   its signed callback), latency and Dataverse requests per turn;
// - hand-off: "agent" → the conversation handed over and placed in its queue.
//
// Requests are the app user's, counted by the emulator per caller ($batch = one request), the way
// the API budget is spent. Latency includes the work queue drained in-process (no queue polling).
//
//   npm run bench:bots -w bench [-- --chats 20 --turns 3]
//
// Prints numbers (SWB_BENCH_JSON=<file> also writes them); never fails on a slow machine.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { AuthorKind, BotKind, BotState, ChannelType, Visibility } from '@switchboard/solution';
import { NO_PUSH, type PushPort } from '@switchboard/core';
import { createDirectLineStandIn } from '@switchboard/dev/directline/directline.stand-in';
import { createFaqBot } from '@switchboard/dev/directline/faq.bot';
import { createWebhookBot } from '@switchboard/dev/webhook-bot/webhook-bot.stand-in';
import { diffStats } from '@switchboard/dev/dataverse/request-stats';
import { CHAT_KEY, seedRouting, startStack, type Stack } from '@switchboard/dev/functions-on-emulator/stack.testing';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : dflt);
const CHATS = Number(arg('chats', '20'));
const TURNS = Number(arg('turns', '3'));
const ORIGIN = 'https://help.example';
const APP = 'switchboard-app@switchboard.dev';

interface Figures {
  n: number;
  p50: number;
  p95: number;
  max: number;
  requestsPerUnit: number;
}

function figures(samples: { ms: number; requests: number }[]): Figures {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  const requests = samples.reduce((a, s) => a + s.requests, 0);
  return { n: samples.length, p50: Math.round(at(0.5)), p95: Math.round(at(0.95)), max: Math.round(ms[ms.length - 1] ?? 0), requestsPerUnit: samples.length ? Math.round((requests / samples.length) * 100) / 100 : 0 };
}

async function main(): Promise<void> {
  const directLine = createDirectLineStandIn({ bots: [{ id: 'faq-bot', name: 'FAQ', secrets: ['dl-secret'], bot: createFaqBot() }] });
  await directLine.listen(0, '127.0.0.1');
  // When the customer is told of each message (the push the widget reads on): the first answer's latency.
  const toldAt: { user: string; at: number }[] = [];
  const push: PushPort = { ...NO_PUSH, toUser: async (user, event) => void (event.kind === 'message' && toldAt.push({ user, at: performance.now() })) };
  // Configuration cached as in production (30 s): a turn or a callback does not reload it.
  const stack: Stack = await startStack({ graph: { push, cacheTtlMs: 30_000, settings: { CHAT_TOKEN_KEY: CHAT_KEY, SWB_BOT_DL: 'dl-secret', SWB_BOT_HOOK: 'hook-secret' } } });
  const hookBotId = randomUUID();
  const hookBot = createWebhookBot({ botId: hookBotId, secret: 'hook-secret', switchboardUrl: stack.baseUrl });
  const hookUrl = (await hookBot.listen(0, '127.0.0.1')).url;
  const dlBotId = randomUUID();
  const bot = (id: string, kind: BotKind, url: string, setting: string) =>
    stack.api.create({ collection: 'swb_bots', data: { swb_botid: id, swb_name: setting, swb_kind: kind, swb_endpointurl: url, swb_secretsettingname: setting, swb_timeoutseconds: 5, swb_inactivityminutes: 30, swb_isenabled: true } });
  await bot(dlBotId, BotKind.DirectLine, directLine.url, 'SWB_BOT_DL');
  await bot(hookBotId, BotKind.Webhook, hookUrl, 'SWB_BOT_HOOK');

  const widgetFor = async (botId: string) => {
    const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: `Agent ${botId.slice(0, 4)}`, queue: 'main', max: 1000 }]);
    await stack.api.update({ collection: 'swb_workstreams', key: seed.workstreamId, data: { 'swb_botid@odata.bind': `/swb_bots(${botId})` } });
    return (await stack.api.create({
      collection: 'swb_chatwidgets',
      data: { swb_name: `bench ${botId}`, swb_allowedorigins: ORIGIN, swb_prechatquestions: '[]', 'swb_workstreamid@odata.bind': `/swb_workstreams(${seed.workstreamId})`, swb_isenabled: true },
    })) as string;
  };

  const appRequests = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number; requests: number }> => {
    const before = stack.emulator.stats();
    const started = performance.now();
    const value = await work();
    const ms = performance.now() - started;
    return { value, ms, requests: diffStats(before, stack.emulator.stats()).callers[APP]?.requests ?? 0 };
  };
  const botAnswers = async (id: string) =>
    (((await stack.api.retrieveMultiple({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${id} and swb_authorkind eq ${AuthorKind.Bot} and swb_visibility eq ${Visibility.Public}`, select: ['swb_messageid'] })).value ?? []) as unknown[]).length;
  const botState = async (id: string) => ((await stack.api.retrieve({ collection: 'swb_conversations', key: id, select: ['swb_botstate', '_swb_queueid_value'] })) as { swb_botstate: number; _swb_queueid_value: string | null });
  // Waits on the webhook bot's own count of callbacks it made (answered by the app): reading
  // Dataverse to wait would add the benchmark's requests to the app's.
  const callbacks = (action: 'messages' | 'handoff') => hookBot.stats().callbacks.byAction[action];
  const until = async (probe: () => boolean) => {
    for (let i = 0; i < 1000 && !probe(); i++) await new Promise((r) => setTimeout(r, 5));
    if (!probe()) console.log(`note: the webhook bot's callbacks did not come within 5 s: ${JSON.stringify(hookBot.stats())}`);
  };

  // Both set up before the first chat: the configuration is then read once and kept (no
  // routing-config step runs here to tell the app of a later change).
  const widgets = { directline: await widgetFor(dlBotId), webhook: await widgetFor(hookBotId) };
  const results: Record<string, Record<string, Figures>> = {};
  for (const kind of ['directline', 'webhook'] as const) {
    const widgetId = widgets[kind];
    const open: { ms: number; requests: number }[] = [];
    const turns: { ms: number; requests: number }[] = [];
    const firstAnswers: { ms: number; requests: number }[] = [];
    const handoffs: { ms: number; requests: number }[] = [];
    for (let c = 0; c < CHATS; c++) {
      const started = await appRequests(async () => {
        const res = await fetch(`${stack.baseUrl}/api/chat/${widgetId}/conversations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: ORIGIN },
          body: JSON.stringify({ clientRequestId: `req-${randomUUID()}`, locale: 'en-US', answers: {}, context: {}, pageUrl: `${ORIGIN}/help` }),
        });
        const greeted = callbacks('messages') + 1;
        const body = (await res.json()) as { conversationId: string; token: string };
        await stack.drain();
        if (kind === 'webhook') await until(() => callbacks('messages') >= greeted);
        return body;
      });
      open.push(started);
      const { conversationId: id, token } = started.value;
      const say = async (text: string) =>
        fetch(`${stack.baseUrl}/api/chat/conversations/${id}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: ORIGIN, authorization: `Bearer ${token}` },
          body: JSON.stringify({ clientMessageId: randomUUID(), body: text }),
        });
      for (let t = 0; t < TURNS; t++) {
        // The FAQ bot answers the hours in two messages (the hours, "anything else?").
        const answered = callbacks('messages') + 2;
        const sentAt = performance.now();
        const toldBefore = toldAt.length;
        const turn = await appRequests(async () => {
          await say('What are your opening hours?');
          await stack.drain();
          if (kind === 'webhook') await until(() => callbacks('messages') >= answered);
        });
        turns.push({ ms: turn.ms, requests: turn.requests });
        const first = toldAt.slice(toldBefore).find((t) => t.user.endsWith(id.toLowerCase()));
        if (first) firstAnswers.push({ ms: first.at - sentAt, requests: 0 });
      }
      if ((await botAnswers(id)) < 1 + 2 * TURNS) console.log(`note: ${kind} chat ${id} has fewer bot answers than expected`);
      handoffs.push(
        await appRequests(async () => {
          const handedOff = callbacks('handoff') + 1;
          await say('I want to talk to an agent about my invoice');
          await stack.drain();
          if (kind === 'webhook') await until(() => callbacks('handoff') >= handedOff);
          await stack.drain();
        }),
      );
      if ((await botState(id)).swb_botstate !== BotState.HandedOff) console.log(`note: ${kind} chat ${id} was not handed off`);
    }
    results[kind] = { open: figures(open), turn: figures(turns), 'first answer': figures(firstAnswers), handoff: figures(handoffs) };
  }

  console.log(`\nBots (${CHATS} chats × ${TURNS} turns each, Dataverse emulator in-process, queue drained in-process)`);
  console.log('kind        step          n     p50 ms  p95 ms  max ms  app requests / unit');
  for (const [kind, steps] of Object.entries(results)) {
    for (const [step, f] of Object.entries(steps)) {
      console.log(`${kind.padEnd(11)} ${step.padEnd(13)} ${String(f.n).padStart(3)}  ${String(f.p50).padStart(7)} ${String(f.p95).padStart(7)} ${String(f.max).padStart(7)}  ${step === 'first answer' ? '(in the turn)' : f.requestsPerUnit}`);
    }
  }
  console.log("(turn: until the bot's turn is over — Direct Line: its last answer plus 600 ms of quiet; first answer: until the customer is told of the bot's first answer; webhook figures include the bot's HTTP round trips to the callback route, and its requests the callbacks')");
  const out = process.env['SWB_BENCH_JSON'];
  if (out) writeFileSync(out, JSON.stringify({ chats: CHATS, turns: TURNS, results }, null, 2));
  await hookBot.close();
  await directLine.close();
  await stack.stop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
