from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from forum.discovery import feeds, views
from forum.discovery import sitemap_views as own_sitemap_views
from forum.discovery.sitemaps import SITEMAPS

app_name = "discovery"

# The sitemap is built on each request (not cached): a question hidden a minute ago must not stay listed,
# its slug carries its title. README "Search engines, feeds and installing" has what it costs.
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "discovery:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        own_sitemap_views.sitemap_section,
        name="sitemap_section",
    ),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    # Feeds: RSS 2.0, and Atom at .../atom/
    path("feeds/questions/", feeds.QuestionFeed(), name="feed_questions"),
    path("feeds/questions/atom/", feeds.atom(feeds.QuestionFeed)(), name="feed_questions_atom"),
    path("feeds/c/<slug:slug>/", feeds.CategoryQuestionsFeed(), name="feed_category"),
    path("feeds/c/<slug:slug>/atom/", feeds.atom(feeds.CategoryQuestionsFeed)(), name="feed_category_atom"),
    path("feeds/tags/<slug:slug>/", feeds.TagQuestionsFeed(), name="feed_tag"),
    path("feeds/tags/<slug:slug>/atom/", feeds.atom(feeds.TagQuestionsFeed)(), name="feed_tag_atom"),
    path("feeds/expert-answers/", feeds.FeaturedAnswersFeed(), name="feed_featured"),
    path("feeds/expert-answers/atom/", feeds.atom(feeds.FeaturedAnswersFeed)(), name="feed_featured_atom"),
    path("feeds/experts/<int:pk>/", feeds.ExpertAnswersFeed(), name="feed_expert"),
    path("feeds/experts/<int:pk>/atom/", feeds.atom(feeds.ExpertAnswersFeed)(), name="feed_expert_atom"),
]
