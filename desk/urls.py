from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("desk/pages/<slug:slug>/", views.page_desk, name="page"),
    path("desk/articles/<int:article_id>/correct/", views.correct, name="correct"),
    path("desk/corrections/<int:correction_id>/undo/", views.undo, name="undo"),
    path("desk/review/", views.review, name="review"),
    path("articles/<slug:page_slug>/<int:number>/history/", views.history, name="history"),
]
