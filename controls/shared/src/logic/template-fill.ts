// Quick replies and templates are rendered by core's renderTemplate, the same code the
// functions app uses for outbound templates, so `{customer.firstname|there}` means the
// same thing everywhere. Missing values are reported so the pane can ask for them.
import { renderTemplate, type RenderedTemplate, type TemplateData } from '@switchboard/core';

export type { TemplateData };
export type FillResult = RenderedTemplate;

export function fillTemplate(body: string, data: TemplateData): FillResult {
  return renderTemplate(body, data);
}

/** What the pane knows when an agent picks a quick reply. */
export function paneTemplateData(customerName: string | undefined, agentName: string, queueName: string | undefined): TemplateData {
  const first = (full: string | undefined) => full?.trim().split(/\s+/)[0];
  return {
    customer: { name: customerName, firstname: first(customerName) },
    agent: { name: agentName, firstname: first(agentName) },
    queue: { name: queueName },
  };
}
