# The benchmark's page set: item pages, tag pages (paginated), a paginated index of every post, a site feed.
AUTHOR = "Benchmark Network"
SITENAME = "Benchmark Network"
SITEURL = "https://www.example.org"
TIMEZONE = "Europe/Brussels"
DEFAULT_LANG = "en"
PATH = "content"
THEME = "theme"
SLUGIFY_SOURCE = "basename"
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "tag": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DIRECT_TEMPLATES = ["index"]
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = TAGS_SAVE_AS = ARCHIVES_SAVE_AS = ""
PAGE_SAVE_AS = DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""
FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = 20
CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
MARKDOWN = {"extension_configs": {"markdown.extensions.extra": {}}, "output_format": "html5"}  # no code highlighting
STATIC_PATHS = []
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
