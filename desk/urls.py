from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("desk/pages/<slug:slug>/", views.page_desk, name="page"),
    path("desk/articles/<int:article_id>/correct/", views.correct, name="correct"),
    path("desk/corrections/<int:correction_id>/undo/", views.undo, name="undo"),
    path("desk/review/", views.review, name="review"),
    path("desk/upload/", views.upload, name="upload"),
    path("desk/jobs/<int:job_id>/", views.job_detail, name="job"),
    path("desk/jobs/<int:job_id>/retry/", views.job_retry, name="job_retry"),
    path("articles/<slug:page_slug>/<int:number>/history/", views.history, name="history"),
]
