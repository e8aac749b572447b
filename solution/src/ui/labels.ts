import type { Label } from '../model/types';

/** `l('Queue', 'File')`: English and French, the two languages every label ships in. */
export const l = (en: string, fr: string): Label => ({ 1033: en, 1036: fr });
