// The page URLs and the HTML file each serves: one map for the server's routes
// (src/server/routes-pages.ts) and the build's asset manifest (scripts/build.mjs, which
// `hush verify` reads). `{id}` stands for a 22-character id; nothing is looked up with it.
export const PAGES = {
  '/': '/index.html',
  '/s/{id}': '/reveal.html',
  '/m/{id}': '/manage.html',
  '/l': '/stateless.html',
  '/request': '/request.html',
  '/r/{id}': '/respond.html',
  '/mine': '/mine.html',
  '/c': '/combine.html',
  '/a': '/age.html',
} as const;

export const NOT_FOUND_PAGE = '/404.html';
