/**
 * Harness for tests/browser/settings.spec.ts: the real Settings dialog and Workbench layout,
 * on the page's real localStorage/sessionStorage, with placeholder panes.
 */
import { mount } from 'svelte';
import '../../../src/ui/global.css';
import SettingsHarness from './SettingsHarness.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
mount(SettingsHarness, { target });
