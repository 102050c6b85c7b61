import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  build: {
    outDir: "target/classes/tandem-web",
    emptyOutDir: true,
    // one small script and one style sheet: nothing inline, so the page's CSP can forbid inline code
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
