"""Read-only public API of promotion events (published events only; results stay private).

Mounted by api/v1/urls.py:  router.register("events", EventViewSet, basename="event")
GET /api/v1/events/?timing=upcoming|past&kind=fair&year=2025   GET /api/v1/events/<slug>/"""

import django_filters
from django.db.models import Count, Prefetch
from django.utils import timezone
from rest_framework import permissions, serializers, viewsets

from products.models import Product
from promotion.models import Event, EventKind, Participation


class ParticipantSerializer(serializers.ModelSerializer):
    producer = serializers.CharField(source="producer.name")
    producer_slug = serializers.CharField(source="producer.slug")
    commune = serializers.SerializerMethodField()
    products = serializers.SerializerMethodField()

    class Meta:
        model = Participation
        fields = ["producer", "producer_slug", "commune", "products"]

    def get_commune(self, obj) -> str | None:
        return str(obj.producer.commune) if obj.producer.commune_id else None

    def get_products(self, obj) -> list[dict]:
        return [{"name": p.name, "slug": p.slug} for p in obj.products.all()]


class EventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    timing = serializers.SerializerMethodField()
    participants_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "kind",
            "kind_display",
            "start_date",
            "end_date",
            "timing",
            "place",
            "organiser",
            "participants_count",
            "is_sample",
            "url",
        ]

    def get_timing(self, obj) -> str:
        return obj.timing()

    def get_url(self, obj) -> str:
        from django.urls import reverse

        path = reverse("events:detail", args=[obj.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EventDetailSerializer(EventSerializer):
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "description", "participants"]


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    year = django_filters.NumberFilter(
        field_name="start_date", lookup_expr="year", min_value=1900, max_value=2100, decimal_places=0
    )
    timing = django_filters.ChoiceFilter(
        choices=[("upcoming", "upcoming"), ("past", "past")], method="filter_timing"
    )

    class Meta:
        model = Event
        fields = ["kind", "year", "timing"]

    def filter_timing(self, queryset, name, value):
        today = timezone.localdate()
        if value == "upcoming":
            return queryset.filter(end_date__gte=today).order_by("start_date", "name", "pk")
        return queryset.filter(end_date__lt=today)


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Trade fairs, promotion weeks, livestream sales and exhibitions with OCOP products."""

    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]
    filterset_class = EventFilter

    def get_queryset(self):
        qs = Event.objects.filter(is_published=True).annotate(participants_count=Count("participations"))
        if self.action == "retrieve":
            public_products = Product.objects.public().order_by("name")
            qs = qs.prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("producer", "producer__commune")
                    .prefetch_related(Prefetch("products", queryset=public_products))
                    .order_by("producer__name", "pk"),
                )
            )
        return qs.order_by("-start_date", "name", "pk")

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer
