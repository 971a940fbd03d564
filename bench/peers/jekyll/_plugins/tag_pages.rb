# Jekyll has no paginated tag pages of its own: this generator is the usual idiom
# (as jekyll-archives does it), 10 posts a page, newest first, at /tags/<slug>/page/N/.
module Bench
  class TagPages < Jekyll::Generator
    safe true
    priority :low

    def generate(site)
      per_page = site.config["paginate"] || 10
      site.tags.each do |tag, posts|
        slug = Jekyll::Utils.slugify(tag)
        chunks = posts.sort_by { |post| [-post.date.to_f, post.url] }.each_slice(per_page).to_a
        urls = (1..chunks.size).map { |n| n == 1 ? "/tags/#{slug}/" : "/tags/#{slug}/page/#{n}/" }
        chunks.each_with_index do |chunk, index|
          page = Jekyll::PageWithoutAFile.new(site, site.source, urls[index].delete_prefix("/"), "index.html")
          page.data.merge!(
            "layout" => "list", "title" => "Tagged “#{tag}”", "posts" => chunk,
            "page_number" => index + 1, "page_count" => chunks.size,
            "previous_url" => index.positive? ? urls[index - 1] : nil, "next_url" => urls[index + 1]
          )
          site.pages << page
        end
      end
    end
  end
end
