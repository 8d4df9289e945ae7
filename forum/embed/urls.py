from django.urls import path

from forum.embed import views

app_name = "embed"

urlpatterns = [
    path("experts/", views.box, name="box"),
    path("experts/items/", views.items, name="items"),
    path("demo/", views.demo, name="demo"),
]
