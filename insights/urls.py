from django.urls import path

from . import views

app_name = "staff_insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<slug:chart>.csv", views.chart_csv, name="csv"),
    path("report/<int:year>/", views.annual_report, name="report"),
]
