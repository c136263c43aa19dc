"""Official documents: /bao-cao/…"""

app_name = "reports"
urlpatterns = []
