from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.generic import DetailView

from nominations.models import Nomination


@login_required
def home(request):
    return render(request, "home.html")


class NominationDetailView(DetailView):
    model = Nomination
    template_name = "nominations/nomination_detail.html"
