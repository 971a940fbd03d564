// The benchmark's page set: item pages, tag pages (paginated), a paginated index of every post, a site feed.
const PER_PAGE = 10;

function slug(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[^\w\s-]/g, "").trim().replace(/[\s_-]+/g, "-");
}

module.exports = function (eleventyConfig) {
  eleventyConfig.addCollection("posts", (api) =>
    api
      .getFilteredByGlob(["news/*.md", "events/*.md", "calls/*.md"])
      .sort((a, b) => b.date - a.date || (a.url < b.url ? -1 : 1)),
  );
  // Double pagination (tag x page) is done the documented way: one entry per tag page.
  eleventyConfig.addCollection("tagPages", (api) => {
    const byTag = new Map();
    const posts = api
      .getFilteredByGlob(["news/*.md", "events/*.md", "calls/*.md"])
      .sort((a, b) => b.date - a.date || (a.url < b.url ? -1 : 1));
    for (const post of posts) {
      for (const tag of post.data.tags || []) {
        if (!byTag.has(tag)) byTag.set(tag, []);
        byTag.get(tag).push(post);
      }
    }
    const pages = [];
    for (const [tag, tagged] of byTag) {
      const base = `/tags/${slug(tag)}/`;
      const count = Math.ceil(tagged.length / PER_PAGE);
      const urls = Array.from({ length: count }, (_, n) => (n === 0 ? base : `${base}page/${n + 1}/`));
      for (let n = 0; n < count; n++) {
        pages.push({
          tag, number: n + 1, count, url: urls[n], prev: urls[n - 1], next: urls[n + 1],
          posts: tagged.slice(n * PER_PAGE, (n + 1) * PER_PAGE),
        });
      }
    }
    return pages;
  });
  eleventyConfig.addFilter("slug", slug);
  eleventyConfig.addFilter("isodate", (date) => date.toISOString());
  eleventyConfig.addFilter("rfc822", (date) => date.toUTCString());
  return {
    dir: { input: ".", includes: "_includes", output: "_site" },
    markdownTemplateEngine: false, // posts are plain Markdown: no Liquid pass over them
    htmlTemplateEngine: "njk",
  };
};
