// Types of eslint/layers.js (a plain module, so ESLint loads it without a compiler).
import type { ESLint, Rule } from 'eslint';

export const layers: Rule.RuleModule;
export const house: ESLint.Plugin;
