"""Lost updates: a producer saved over a newer version than the editor read is refused."""

import pytest

from core.services import StaleVersion
from producers.services import producer_update


@pytest.mark.django_db
def test_the_first_save_wins_and_the_second_is_told(users):
    producer = users["own_producer"]
    assert producer.version == 1
    saved = producer_update(producer, actor=users["office"], expected_version=1, representative="Hoàng Văn A")
    assert saved.version == 2
    with pytest.raises(StaleVersion, match="thay đổi từ khi bạn mở trang này"):
        producer_update(producer, actor=users["officer"], expected_version=1, representative="Lý Thị B")
    producer.refresh_from_db()
    assert (producer.representative, producer.version) == ("Hoàng Văn A", 2)
    # Saving again over the version now known overwrites, deliberately.
    assert (
        producer_update(
            producer, actor=users["officer"], expected_version=2, representative="Lý Thị B"
        ).version
        == 3
    )
