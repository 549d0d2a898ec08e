/** The offline demo model: the scripted model answering in the tab (and in the headless runner). */
import type { ModelCapabilities } from '../core/config';
import { DEFAULT_SCRIPTED_MODEL_ID } from './scripted/engine';

export const DEMO_MODEL_ID = DEFAULT_SCRIPTED_MODEL_ID;
export const DEMO_CAPABILITIES: Readonly<ModelCapabilities> = { customTools: true, reasoning: true, compact: true };
