from django.shortcuts import redirect


def home(request):
    return redirect("backoffice:home")


def verify(request, code):
    raise NotImplementedError
