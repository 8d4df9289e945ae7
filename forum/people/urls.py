from django.urls import path

from forum.people import views

app_name = "people"

urlpatterns = [
    path("<int:pk>/", views.profile, name="profile"),
    path("experts/", views.experts, name="experts"),
]
