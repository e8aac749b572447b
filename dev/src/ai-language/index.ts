// What the rest of the dev stack uses to run the Azure AI Language stand-in in-process.
export {
  ANALYZE_PATH,
  API_VERSIONS,
  HOOKS_PREFIX,
  createAiLanguageStandIn,
  type AiLanguageStandIn,
  type AiLanguageStandInOptions,
  type AiLanguageStats,
} from './stand-in';
