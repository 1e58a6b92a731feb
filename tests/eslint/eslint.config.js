// ESLint for the page code under lecture/ (the .js asset files the pages inline).
// Run from the project root: tests/eslint/node_modules/.bin/eslint -c tests/eslint/eslint.config.js lecture
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    files: ["lecture/**/assets/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script", // inlined into <script> elements, not modules
      globals: { ...globals.browser },
    },
    rules: {
      ...js.configs.recommended.rules,
      // a page that must go on when a browser API throws (storage, an LMS's API) catches and
      // ignores on purpose: `catch (e) {}` is allowed, nothing else empty or unused
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
  {
    // the explorer's maths also loads in Node for its tests (`module.exports` when present)
    files: ["lecture/explore/assets/maths.js"],
    languageOptions: { globals: { module: "readonly" } },
  },
];
