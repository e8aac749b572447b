import { NotImplementedError } from '../hosting/errors';
import type { Services } from './contracts';

// Placeholders for services other parts of issue 6 deliver. Every call throws, which the
// HTTP edge turns into 501 NotImplemented and the queue/timer hosts log as a failure:
// nothing pretends to have worked.
function refuse(feature: string): () => Promise<never> {
  return async () => {
    throw new NotImplementedError(feature);
  };
}

export function notImplementedServices(): Services {
  return {
    sms: { handle: refuse('SMS inbound processing') },
    channelValidation: { validate: refuse('Channel API key validation') },
    chat: {
      preflight: refuse('Chat API'),
      widgetConfig: refuse('Chat API'),
      startConversation: refuse('Chat API'),
      readMessages: refuse('Chat API'),
      sendMessage: refuse('Chat API'),
      endConversation: refuse('Chat API'),
    },
    widgetScript: { script: refuse('Widget script delivery') },
    pluginWebhooks: { handle: refuse('Plugin step webhooks') },
    routingWorker: { process: refuse('Routing worker') },
    offerTimeouts: { sweep: refuse('Offer timeout sweep') },
    broadcasts: { send: refuse('Template broadcasts') },
  };
}
