from django.http import HttpResponse


def dossier_index(request):
    return HttpResponse("")


def dossier_new(request):
    return HttpResponse("")
