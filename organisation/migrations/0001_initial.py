"""Unit, Membership and Council move from `approvals` to `organisation` with their tables and rows."""


import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models



MOVED_MODELS = ["unit", "membership", "council"]


def move_content_types(apps, schema_editor):
    """Re-label the moved models' content types, so guardian's object grants and the unit permissions (rows that
    point at the content type, not at an app label) keep working on the same ids."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        ContentType.objects.filter(app_label="organisation", model=model).delete()
        ContentType.objects.filter(app_label="approvals", model=model).update(app_label="organisation")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        ContentType.objects.filter(app_label="organisation", model=model).update(app_label="approvals")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('approvals', '0002_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are (same names, same rows): only Django's model state moves.
            state_operations=[
                migrations.CreateModel(
                    name='Unit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=50, unique=True, verbose_name='mã')),
                        ('name', models.CharField(max_length=255, verbose_name='tên')),
                        ('short_name', models.CharField(blank=True, max_length=100, verbose_name='tên ngắn')),
                        ('tier', models.CharField(choices=[('province', 'Tỉnh'), ('district', 'Huyện, thành phố'), ('department', 'Sở, ban, ngành, đoàn thể tỉnh'), ('base', 'Cơ sở (xã, trường, cơ quan, doanh nghiệp)'), ('cluster', 'Cụm, khối thi đua')], max_length=20, verbose_name='cấp')),
                        ('issuer_symbol', models.CharField(blank=True, help_text='Ví dụ: UBND, SNV. Số quyết định: 15/QĐ-UBND.', max_length=30, verbose_name='ký hiệu cơ quan ban hành')),
                        ('valid_from', models.DateField(default=django.utils.timezone.localdate, verbose_name='hiệu lực từ')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='hiệu lực đến')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='organisation.unit', verbose_name='đơn vị cấp trên')),
                    ],
                    options={
                        'verbose_name': 'đơn vị',
                        'verbose_name_plural': 'đơn vị',
                        'db_table': 'approvals_unit',
                        'ordering': ['code'],
                        'permissions': [('file_nomination', 'Lập đề nghị khen thưởng của đơn vị'), ('submit_nomination', 'Trình đề nghị khen thưởng của đơn vị'), ('review_nomination', 'Xét duyệt đề nghị chuyển đến đơn vị'), ('appraise_nomination', 'Thẩm định đề nghị tại cấp quyết định'), ('record_vote', 'Ghi kết quả bỏ phiếu của Hội đồng'), ('view_council', 'Xem đề nghị trình Hội đồng'), ('sign_decision', 'Ký quyết định khen thưởng'), ('inspect_unit', 'Thanh tra đơn vị và cấp dưới'), ('view_sensitive', 'Xem dữ liệu nhạy cảm (kỷ luật, CCCD)')],
                    },
                ),
                migrations.CreateModel(
                    name='Council',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('full', 'Hội đồng Thi đua – Khen thưởng'), ('standing', 'Thường trực Hội đồng'), ('advisory', 'Hội đồng tư vấn')], default='full', max_length=20)),
                        ('name', models.CharField(max_length=255)),
                        ('members_total', models.PositiveIntegerField(verbose_name='tổng số thành viên')),
                        ('is_active', models.BooleanField(default=True)),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='councils', to='organisation.unit')),
                    ],
                    options={
                        'verbose_name': 'hội đồng',
                        'verbose_name_plural': 'hội đồng',
                        'db_table': 'approvals_council',
                    },
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('unit_head', 'Thủ trưởng đơn vị'), ('unit_clerk', 'Cán bộ TĐKT đơn vị'), ('reviewer', 'Cán bộ xét duyệt'), ('council_secretary', 'Thư ký Hội đồng'), ('council_member', 'Thành viên Hội đồng'), ('approver', 'Người ký quyết định'), ('inspector', 'Thanh tra'), ('admin', 'Quản trị')], max_length=32, verbose_name='vai trò')),
                        ('granted_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='organisation.unit')),
                    ],
                    options={
                        'verbose_name': 'phân quyền',
                        'verbose_name_plural': 'phân quyền',
                        'db_table': 'approvals_membership',
                        'indexes': [models.Index(fields=['unit', 'role'], name='membership_unit_role')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('user', 'unit', 'role'), name='membership_active_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
