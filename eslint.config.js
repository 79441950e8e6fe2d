import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import steward from './eslint-rules/handlers-use-ctx-db.js';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** The layer rules of DESIGN.md section 1, enforced here rather than hoped for. */
const layers = {
  shared: {
    paths: [...nodeModules, 'electron', 'react', 'react-dom', 'better-sqlite3', 'zustand'].map((name) => ({
      name,
      message: 'shared/ is pure TypeScript: no Node, Electron, DOM or UI imports.',
    })),
    patterns: [
      { group: ['**/main/**', '**/renderer/**', '../main', '../renderer'], message: 'shared/ must not import from main/ or renderer/.' },
    ],
  },
  cli: {
    paths: ['electron', 'better-sqlite3', 'react', 'react-dom'].map((name) => ({
      name,
      message: 'cli/ is a client of the HTTP API: no database, Electron or UI.',
    })),
    patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'cli/ talks to a console over HTTP; it imports only shared/.' }],
  },
  renderer: {
    paths: [...nodeModules, 'electron', 'better-sqlite3'].map((name) => ({
      name,
      message: 'renderer/ runs in the page: no Node or Electron.',
    })),
    patterns: [{ group: ['**/main/**', '**/main'], message: 'renderer/ never imports from main/; call the API instead.' }],
  },
};

/**
 * The renderer's features (one folder per screen or flow) and the shared layers they build on:
 * ui/ (buttons, dialogs, fields, confirm, pickers, formatting, debounce), state/ (stores of the
 * session, the group tree, the person's own access), data/, api/ and routes/ (addresses). A
 * feature imports the shared layers, never another feature; the shared layers import no feature.
 * Only the composition roots put features together: routes/router.tsx, shell/, App.tsx, main.tsx.
 */
const FEATURES = ['access', 'audit', 'devices', 'groups', 'hygiene', 'invite', 'profile', 'roles', 'screens', 'settings', 'sync', 'team'];
const SHARED_LAYERS = ['ui', 'state', 'data', 'api'];

/**
 * For `files` under renderer/src: the renderer's layer rules, and no import of any of `features`
 * (by relative path: `../groups/…`, `../../team/…`). Each config object replaces the rule's
 * options, so the layer rules are repeated here.
 */
function withoutFeatures(files, features, message) {
  const regex = `^(\\./|(\\.\\./)+)(${features.join('|')})(/|$)`;
  return {
    files,
    rules: { 'no-restricted-imports': ['error', { ...layers.renderer, patterns: [...layers.renderer.patterns, { regex, message }] }] },
  };
}

const boundaries = [
  ...FEATURES.map((feature) =>
    withoutFeatures(
      [`renderer/src/${feature}/**/*.{ts,tsx}`],
      FEATURES.filter((other) => other !== feature),
      'A feature does not import another feature: move what both use to ui/ (or state/), or put them together in routes/router.tsx.',
    ),
  ),
  withoutFeatures(
    [
      ...SHARED_LAYERS.map((layer) => `renderer/src/${layer}/**/*.{ts,tsx}`),
      'renderer/src/routes/paths.ts',
      'renderer/src/routes/navigate.ts',
    ],
    FEATURES,
    'ui/, state/, data/, api/ and the addresses are shared: they import no feature.',
  ),
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.native/**',
      '.reports/**',
      '.tools/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Use ctx.entropy or node:crypto.',
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: { 'no-restricted-imports': ['error', layers.shared] },
  },
  {
    files: ['cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', layers.cli] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, 'no-restricted-imports': ['error', layers.renderer] },
  },
  ...boundaries,
  {
    // The dispatcher core knows no feature: audit, sessions, settings and people are services it is handed (issue 12).
    files: ['main/dispatch/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features/**', '../features'],
              message: 'The dispatcher core imports no feature; hand it a service (main/dispatch/services.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/features/**/*.ts'],
    // Every handler reads and writes through ctx.db: the hub and a replay run them against another database.
    plugins: { steward },
    rules: { 'steward/handlers-use-ctx-db': 'error' },
  },
  {
    files: ['main/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['crypto', 'node:crypto'].map((name) => ({
            name,
            importNames: ['randomBytes', 'randomUUID', 'randomInt', 'getRandomValues'],
            message: 'Handlers take randomness from ctx.entropy, so a command can be replayed.',
          })),
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Handlers take randomness from ctx.entropy.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Handlers take the time from ctx.clock.',
        },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Handlers take the time from ctx.clock.' },
      ],
    },
  },
);
