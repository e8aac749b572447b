// Entry point for the Azure Functions Node worker (package.json "main" → dist/main.js).
// Nothing else imports this file: importing it registers functions as a side effect.
import { app } from '@azure/functions';
import { compose } from './composition';
import { loadConfig } from './config';
import { register } from './hosting/function-def';

register(app, compose(loadConfig(process.env)).table);
