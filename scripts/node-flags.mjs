// Node's flags for the server, used by `npm start` and by the benchmarks (which run the server in
// their own process). A young generation of 32 MB a half (V8's default is 16): a bulk import's
// values live until their batch is written, and a larger young generation lets most of them die
// there instead of being copied into the old one; it cut a million-value import's CPU by a fifth
// (docs/hmis.md, Import speed).
export const NODE_FLAGS = ['--max-semi-space-size=32'];
