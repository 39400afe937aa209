import * as z from 'zod';

/**
 * AWS Chatbot's custom notification, as its user guide documents it ("Custom notifications": version "1.0", source
 * "custom", content with textType, title, description, nextSteps, keywords; metadata with threadId, summary, eventType,
 * relatedResources, additionalContext). Chatbot drops any other SNS message without a word, so every message the tests
 * see is held to it, strictly.
 */
export const customNotificationSchema = z.strictObject({
  version: z.literal('1.0'),
  source: z.literal('custom'),
  id: z.string().optional(),
  content: z.strictObject({
    textType: z.enum(['client-markdown']),
    title: z.string().min(1).max(250),
    description: z.string().max(8000),
    nextSteps: z.array(z.string()).max(10),
    keywords: z.array(z.string()).max(10),
  }),
  metadata: z.strictObject({
    threadId: z.string().min(1).max(256),
    summary: z.string().max(250),
    eventType: z.string().min(1),
    relatedResources: z.array(z.string()).max(10),
    additionalContext: z.record(z.string(), z.string()),
  }),
});
