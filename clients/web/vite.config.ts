import { defineConfig } from "vite";

// Built into the server's static files: `make web` (and `make run`, `make test`) runs `npm ci && npm run build`.
export default defineConfig({
  build: {
    outDir: "../../src/CuTru.LuuTru.Server/wwwroot",
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npm run dev` against a server started by `make run`.
    proxy: { "/api": "http://127.0.0.1:8080", "/hubs": { target: "http://127.0.0.1:8080", ws: true } },
  },
});
